import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';

/** Bare twin of lambda/triggers/pre-token-generation.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: PreTokenGenerationTriggerEvent): Promise<PreTokenGenerationTriggerEvent> => {
  if (event.triggerSource === 'TokenGeneration_RefreshTokens' || !event.request.userAttributes['custom:email_mfa']) return event;
  await table.send(
    new DeleteCommand({
      TableName: process.env.MFA_TABLE_NAME,
      Key: { pk: event.request.userAttributes.sub, sk: event.callerContext.clientId },
      ConditionExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
    }),
  );
  return event;
};
