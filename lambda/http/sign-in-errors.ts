import type { ErrorOverrides, ErrorResponse } from './error-responses';

const incorrectCredentials = { status: 401, name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

/** Cognito's answers for a wrong password and for users who cannot sign in (unknown, unconfirmed, to reset). */
const accountStates = ['NotAuthorizedException', 'UserNotFoundException', 'UserNotConfirmedException', 'PasswordResetRequiredException'];

/** One answer for each of `names`, so that no difference between them reaches the client. */
function oneAnswerFor(names: readonly string[], answer: ErrorResponse): ErrorOverrides {
  return Object.fromEntries(names.map((name) => [name, answer]));
}

/**
 * Sign-in answers every failure that could tell whether an account exists, is
 * disabled, unconfirmed or must reset its password in one way: the same status,
 * name and message as a wrong password.
 */
export const signInErrorOverrides = oneAnswerFor(accountStates, incorrectCredentials);

const signInAgain = {
  status: 401,
  name: 'NotAuthorizedException',
  message: 'The sign-in session is invalid or has expired, or too many answers were wrong. Sign in again.',
};

export const confirmSignInErrorOverrides = oneAnswerFor(accountStates, signInAgain);

const refreshRefused = {
  status: 401,
  name: 'NotAuthorizedException',
  message: 'The refresh token is invalid, expired or revoked. Sign in again.',
};

/**
 * Refresh and sign-out answer every refusal of the token alike: GetTokensFromRefreshToken
 * names a bad, expired or revoked token NotAuthorizedException, RevokeToken one of another
 * client UnauthorizedException, and a deleted user's token is no better than a revoked one.
 */
export const refreshTokenErrorOverrides = oneAnswerFor(
  [
    'NotAuthorizedException',
    'UnauthorizedException',
    'UserNotFoundException',
    'RefreshTokenReuseException',
    'UnsupportedTokenTypeException',
  ],
  refreshRefused,
);

/** The one answer of POST /auth/recover to everything that went wrong on the user's side. */
export const recoveryRefusedMessage = 'Incorrect username, password or recovery code.';
const recoveryRefused = { status: 401, name: 'NotAuthorizedException', message: recoveryRefusedMessage };

/**
 * Recovery answers a wrong password, a user that does not exist or cannot sign in, and a
 * wrong, used or locked-out code alike, so that the answer tells nothing of the account.
 */
export const recoverErrorOverrides = oneAnswerFor(accountStates, recoveryRefused);
