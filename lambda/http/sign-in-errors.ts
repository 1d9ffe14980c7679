import type { ErrorOverrides } from './error-responses';

const incorrectCredentials = { status: 401, name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

/**
 * Sign-in answers every failure that could tell whether an account exists, is
 * disabled, unconfirmed or must reset its password in one way: the same status,
 * name and message as a wrong password.
 */
export const signInErrorOverrides: ErrorOverrides = {
  NotAuthorizedException: incorrectCredentials,
  UserNotFoundException: incorrectCredentials,
  UserNotConfirmedException: incorrectCredentials,
  PasswordResetRequiredException: incorrectCredentials,
};

const signInAgain = {
  status: 401,
  name: 'NotAuthorizedException',
  message: 'The sign-in session is invalid or has expired, or too many answers were wrong. Sign in again.',
};

export const confirmSignInErrorOverrides: ErrorOverrides = {
  NotAuthorizedException: signInAgain,
  UserNotFoundException: signInAgain,
  UserNotConfirmedException: signInAgain,
  PasswordResetRequiredException: signInAgain,
};

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
export const refreshTokenErrorOverrides: ErrorOverrides = {
  NotAuthorizedException: refreshRefused,
  UnauthorizedException: refreshRefused,
  UserNotFoundException: refreshRefused,
  RefreshTokenReuseException: refreshRefused,
  UnsupportedTokenTypeException: refreshRefused,
};

/** The one answer of POST /auth/recover to everything that went wrong on the user's side. */
export const recoveryRefusedMessage = 'Incorrect username, password or recovery code.';
const recoveryRefused = { status: 401, name: 'NotAuthorizedException', message: recoveryRefusedMessage };

/**
 * Recovery answers a wrong password, a user that does not exist or cannot sign in, and a
 * wrong, used or locked-out code alike, so that the answer tells nothing of the account.
 */
export const recoverErrorOverrides: ErrorOverrides = {
  NotAuthorizedException: recoveryRefused,
  UserNotFoundException: recoveryRefused,
  UserNotConfirmedException: recoveryRefused,
  PasswordResetRequiredException: recoveryRefused,
};
