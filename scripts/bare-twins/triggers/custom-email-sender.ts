import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomEmailSenderTriggerEvent } from 'aws-lambda';

type Attributes = Record<string, string | undefined>;

/** Bare twin of lambda/triggers/custom-email-sender.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});
const { decrypt } = buildDecrypt('REQUIRE_ENCRYPT_ALLOW_DECRYPT' as Parameters<typeof buildDecrypt>[0]);
const keyring = new KmsKeyringNode({ generatorKeyId: process.env.CODE_KEY_ARN, keyIds: [process.env.CODE_KEY_ARN ?? ''] });

export const handler = async (event: CustomEmailSenderTriggerEvent): Promise<void> => {
  const key = { pk: (event.request.userAttributes as Attributes).sub, sk: 'pool-email' };
  const { Item: log } = await table.send(new GetCommand({ TableName: process.env.MFA_TABLE_NAME, Key: key, ConsistentRead: true }));
  await table.send(
    new PutCommand({
      TableName: process.env.MFA_TABLE_NAME,
      Item: { ...key, version: Number(log?.version ?? 0) + 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code ?? '', 'base64'));
  await ses.send(
    new SendEmailCommand({
      Source: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [(event.request.userAttributes as Attributes).email ?? ''] },
      Message: { Subject: { Data: 'Code' }, Body: { Text: { Data: Buffer.from(plaintext).toString('utf8') } } },
    }),
  );
};
