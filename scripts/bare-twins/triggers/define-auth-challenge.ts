import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';

/** Bare twin of lambda/triggers/define-auth-challenge.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const ssm = new SSMClient({});
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});

export const handler = async (event: DefineAuthChallengeTriggerEvent): Promise<DefineAuthChallengeTriggerEvent> => {
  const [clients, user] = await Promise.all([
    ssm.send(new GetParameterCommand({ Name: process.env.CLIENTS_PARAMETER })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: event.userPoolId, Username: event.userName })),
  ]);
  const known = clients.Parameter?.Value?.includes(event.callerContext.clientId) === true;
  if ((user.UserMFASettingList ?? []).length > 0) {
    await cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: event.userPoolId,
        Username: event.userName,
        SoftwareTokenMfaSettings: { Enabled: false },
        SMSMfaSettings: { Enabled: false },
      }),
    );
    await ses.send(
      new SendEmailCommand({
        Source: process.env.EMAIL_FROM,
        Destination: { ToAddresses: [event.request.userAttributes.email ?? ''] },
        Message: { Subject: { Data: 'Notice' }, Body: { Text: { Data: 'switched off' } } },
      }),
    );
  }
  if (known && event.request.session.at(-1)?.challengeResult) {
    await table.send(
      new PutCommand({
        TableName: process.env.MFA_TABLE_NAME,
        Item: { pk: event.request.userAttributes.sub, sk: event.callerContext.clientId, expiresAt: 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
  event.response.issueTokens = known;
  event.response.failAuthentication = !known;
  event.response.challengeName = 'CUSTOM_CHALLENGE';
  return event;
};
