import {
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { RefreshedTokens } from '../../contract/session';
import { serverClientSecret, type ServerClient } from './cognito-sign-in';

/**
 * The session calls of the API's users, on the confidential server client that
 * issued their tokens. Refresh uses GetTokensFromRefreshToken rather than
 * InitiateAuth REFRESH_TOKEN_AUTH: it takes the client secret itself, where
 * REFRESH_TOKEN_AUTH wants a SECRET_HASH over the user name, which a caller
 * holding only an opaque refresh token cannot give
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html).
 */
const cognito = new CognitoIdentityProviderClient({});

/**
 * New access and ID tokens. Refresh-token rotation is off in this stack (a synth
 * check refuses it), so no new refresh token comes back and `auth_time` keeps the
 * sign-in's time, which step-up relies on.
 */
export async function refreshTokens(client: ServerClient, refreshToken: string): Promise<RefreshedTokens> {
  const { AuthenticationResult: result } = await cognito.send(
    new GetTokensFromRefreshTokenCommand({
      ClientId: client.clientId,
      ClientSecret: await serverClientSecret(client),
      RefreshToken: refreshToken,
    }),
  );
  if (!result?.AccessToken || !result.IdToken) throw new Error('GetTokensFromRefreshToken returned no tokens');
  return { accessToken: result.AccessToken, idToken: result.IdToken, expiresIn: result.ExpiresIn ?? 3600 };
}

/**
 * Revokes the refresh token and every access and ID token issued from it
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html).
 */
export async function revokeRefreshToken(client: ServerClient, refreshToken: string): Promise<void> {
  await cognito.send(
    new RevokeTokenCommand({ ClientId: client.clientId, ClientSecret: await serverClientSecret(client), Token: refreshToken }),
  );
}

/** Ends every session of the token's user: all refresh, access and ID tokens Cognito issued to them. */
export async function signOutEverywhere(accessToken: string): Promise<void> {
  await cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
}
