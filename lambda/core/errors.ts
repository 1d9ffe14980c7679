/**
 * Errors a client may see. Each class carries the Cognito exception name that
 * Amplify surfaces as `AuthError.name`, so clients written against Amplify's
 * documentation can switch on the same names. Messages are written for the
 * client: they never contain a code, secret, token or password.
 */
export abstract class MfaServiceError extends Error {
  abstract override readonly name: string;
}

export class InvalidParameterException extends MfaServiceError {
  override readonly name = 'InvalidParameterException';
}

export class NotAuthorizedException extends MfaServiceError {
  override readonly name = 'NotAuthorizedException';
}

export class CodeMismatchException extends MfaServiceError {
  override readonly name = 'CodeMismatchException';
}

/** Not a Cognito name: the token is valid but too old for a change to the user's factors. */
export class ReauthenticationRequiredException extends MfaServiceError {
  override readonly name = 'ReauthenticationRequiredException';
}

export class ExpiredCodeException extends MfaServiceError {
  override readonly name = 'ExpiredCodeException';
}

export class LimitExceededException extends MfaServiceError {
  override readonly name = 'LimitExceededException';
}

/** The user's email code failure budget is locked (lambda/core/failure-budget.ts). */
export function emailMfaLockedError(): LimitExceededException {
  return new LimitExceededException('Too many wrong email codes. Email MFA is paused for a while; try again later.');
}
