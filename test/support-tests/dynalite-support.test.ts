// Proves that the in-process dynalite (local/dynalite.ts) behaves like
// DynamoDB for what the tests rely on, and pins down what it lacks.
import { ConditionalCheckFailedException, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, localDynamoDbClientConfig, startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynalite';

const TableName = 'self-test';
let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  await createTable(dynamo.endpoint, { tableName: TableName, partitionKey: 'pk', sortKey: 'sk', timeToLiveAttribute: 'expiresAt' });
  client = new DynamoDBClient(localDynamoDbClientConfig(dynamo.endpoint));
  doc = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
});

test('a failed ConditionExpression is a ConditionalCheckFailedException', async () => {
  const put = () =>
    doc.send(new PutCommand({ TableName, Item: { pk: 'u1', sk: 'a', v: 1 }, ConditionExpression: 'attribute_not_exists(pk)' }));
  await put();
  const error: unknown = await put().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConditionalCheckFailedException);
  expect(error).toMatchObject({ name: 'ConditionalCheckFailedException' });
});

test('UpdateItem ADD creates and increments, ReturnValues ALL_NEW', async () => {
  const add = () =>
    doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'u2', sk: 'counter' },
        UpdateExpression: 'ADD attempts :one SET expiresAt = :ttl',
        ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :max',
        ExpressionAttributeValues: { ':one': 1, ':max': 2, ':ttl': 1_900_000_000 },
        ReturnValues: 'ALL_NEW',
      }),
    );
  expect((await add()).Attributes).toEqual({ pk: 'u2', sk: 'counter', attempts: 1, expiresAt: 1_900_000_000 });
  expect((await add()).Attributes).toMatchObject({ attempts: 2 });
  await expect(add()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
});

test('DeleteItem with a condition', async () => {
  await doc.send(new PutCommand({ TableName, Item: { pk: 'u3', sk: 'a', code: 'x' } }));
  const del = (code: string) =>
    doc.send(
      new DeleteCommand({
        TableName,
        Key: { pk: 'u3', sk: 'a' },
        ConditionExpression: 'code = :code',
        ExpressionAttributeValues: { ':code': code },
        ReturnValues: 'ALL_OLD',
      }),
    );
  await expect(del('y')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  expect((await del('x')).Attributes).toEqual({ pk: 'u3', sk: 'a', code: 'x' });
  expect((await doc.send(new GetCommand({ TableName, Key: { pk: 'u3', sk: 'a' } }))).Item).toBeUndefined();
});

test('dynalite lacks TransactWriteItems and TTL', async () => {
  const transact = doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: { pk: 'u4', sk: 'a' } } }] }));
  await expect(transact).rejects.toMatchObject({ name: 'UnknownOperationException' });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName }));
  expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
});
