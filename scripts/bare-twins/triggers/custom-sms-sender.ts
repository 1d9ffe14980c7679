import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomSMSSenderTriggerEvent } from 'aws-lambda';

/** Bare twin of lambda/triggers/custom-sms-sender.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});
const { decrypt } = buildDecrypt('REQUIRE_ENCRYPT_ALLOW_DECRYPT' as Parameters<typeof buildDecrypt>[0]);
const keyring = new KmsKeyringNode({ generatorKeyId: process.env.CODE_KEY_ARN, keyIds: [process.env.CODE_KEY_ARN ?? ''] });

export const handler = async (event: CustomSMSSenderTriggerEvent): Promise<void> => {
  const key = { pk: event.request.userAttributes.sub, sk: 'sms' };
  const { Item: log } = await table.send(new GetCommand({ TableName: process.env.MFA_TABLE_NAME, Key: key, ConsistentRead: true }));
  await table.send(
    new PutCommand({
      TableName: process.env.MFA_TABLE_NAME,
      Item: { ...key, version: Number(log?.version ?? 0) + 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code ?? '', 'base64'));
  await sns.send(
    new PublishCommand({
      PhoneNumber: event.request.userAttributes.phone_number,
      Message: `Code ${Buffer.from(plaintext).toString('utf8')}`,
    }),
  );
};
