import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';

/** Bare twin of lambda/triggers/define-auth-challenge.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const ssm = new SSMClient({});
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: DefineAuthChallengeTriggerEvent): Promise<DefineAuthChallengeTriggerEvent> => {
  const [clients, user, budget] = await Promise.all([
    ssm.send(new GetParameterCommand({ Name: process.env.CLIENTS_PARAMETER })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: event.userPoolId, Username: event.userName })),
    table.send(
      new GetCommand({
        TableName: process.env.TABLE_NAME,
        Key: { pk: event.request.userAttributes.sub, sk: 'budget' },
        ConsistentRead: true,
      }),
    ),
  ]);
  const known = clients.Parameter?.Value?.includes(event.callerContext.clientId) === true;
  event.response.issueTokens = known && !budget.Item && (user.UserMFASettingList ?? []).length === 0;
  event.response.failAuthentication = !known;
  event.response.challengeName = 'CUSTOM_CHALLENGE';
  return event;
};
