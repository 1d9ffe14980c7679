import { AdminSetUserMFAPreferenceCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { asDeploymentFault } from './cognito-admin';

/**
 * Switches a user's SMS and TOTP MFA off with the function's role
 * (AdminSetUserMFAPreference,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserMFAPreference.html):
 * Define Auth Challenge does it for an email-MFA user whose native factor was
 * turned on around the API. The TOTP secret and phone number stay; only the
 * factors stop being asked for.
 */
const cognito = new CognitoIdentityProviderClient({});

export async function switchOffNativeMfa(userPoolId: string, username: string): Promise<void> {
  await cognito
    .send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: userPoolId,
        Username: username,
        SMSMfaSettings: { Enabled: false, PreferredMfa: false },
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    )
    .catch(asDeploymentFault);
}
