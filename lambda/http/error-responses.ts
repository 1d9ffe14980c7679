import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import { SetupUriFieldError } from '../../contract/totp-uri';
import { MfaServiceError } from '../core/errors';
import { logger } from '../core/logger';

export interface ErrorResponse {
  readonly status: number;
  readonly name: string;
  readonly message: string;
}

interface Mapping {
  readonly status: number;
  /** The name the client sees when it differs from Cognito's. */
  readonly as?: string;
  readonly message: string;
}

const internalError: Mapping = { status: 500, as: 'InternalErrorException', message: 'Internal error. Try again later.' };
const tooManyRequests: Mapping = { status: 429, message: 'Too many requests. Wait a moment and try again.' };

/**
 * Every exception the Cognito calls of the API routes can raise (per the "Errors"
 * sections of the Amazon Cognito API reference), with the status and message the
 * client sees. Cognito's own message is never passed on: validation messages can
 * quote the value that was sent, and that value may be a code. Exceptions that
 * describe the deployment rather than the request become InternalErrorException,
 * so no internals leak; their Cognito name is logged for the operator.
 */
const cognitoExceptions: Readonly<Record<string, Mapping>> = {
  NotAuthorizedException: { status: 401, message: 'The access token is missing, invalid, expired or revoked. Sign in again.' },
  // A token whose user was deleted: same answer as any other bad token.
  UserNotFoundException: {
    status: 401,
    as: 'NotAuthorizedException',
    message: 'The access token is missing, invalid, expired or revoked. Sign in again.',
  },
  // RevokeToken's refusal of a token or client secret.
  UnauthorizedException: { status: 401, as: 'NotAuthorizedException', message: 'The token is invalid, expired or revoked. Sign in again.' },
  // Only with refresh-token rotation, which this stack refuses at synth.
  RefreshTokenReuseException: {
    status: 401,
    as: 'NotAuthorizedException',
    message: 'The token is invalid, expired or revoked. Sign in again.',
  },
  ForbiddenException: { status: 403, message: 'The request was blocked.' },
  PasswordResetRequiredException: { status: 403, message: 'The password must be reset before this request can be made.' },
  UserNotConfirmedException: { status: 403, message: 'The user is not confirmed.' },
  InvalidParameterException: { status: 400, message: 'Amazon Cognito rejected the request as invalid.' },
  CodeMismatchException: { status: 400, message: 'The code is not valid.' },
  // VerifySoftwareToken's wrong-code error; one name for a wrong code across routes.
  EnableSoftwareTokenMFAException: { status: 400, as: 'CodeMismatchException', message: 'The code is not valid for this authenticator.' },
  ExpiredCodeException: { status: 400, message: 'The code has expired. Request a new one.' },
  SoftwareTokenMFANotFoundException: { status: 400, message: 'No authenticator is set up. Call POST /mfa/totp/setup first.' },
  CodeDeliveryFailureException: { status: 400, message: 'The code could not be delivered. Check the phone number and try again.' },
  AliasExistsException: { status: 400, message: 'The value cannot be used for this account.' },
  // The NEW_PASSWORD_REQUIRED step of sign-in.
  InvalidPasswordException: { status: 400, message: 'The new password does not meet the password policy.' },
  PasswordHistoryPolicyViolationException: { status: 400, message: 'The new password was used before. Choose another.' },
  ConcurrentModificationException: { status: 409, message: 'The user changed concurrently. Try again.' },
  LimitExceededException: { status: 429, message: 'Attempt limit exceeded. Wait before trying again.' },
  TooManyRequestsException: tooManyRequests,
  InternalErrorException: internalError,
  ResourceNotFoundException: internalError,
  InvalidUserPoolConfigurationException: internalError,
  InvalidSmsRoleAccessPolicyException: internalError,
  InvalidSmsRoleTrustRelationshipException: internalError,
  InvalidEmailRoleAccessPolicyException: internalError,
  InvalidLambdaResponseException: internalError,
  UnexpectedLambdaException: internalError,
  UserLambdaValidationException: internalError,
  OperationNotEnabledException: internalError,
  FeatureUnavailableInTierException: internalError,
  UnsupportedOperationException: internalError,
  MFAMethodNotFoundException: { status: 400, message: 'No second factor is set up for this user.' },
};

/** Status of the errors this service raises itself; their messages are ours and go out as they are. */
const ownErrorStatus: Readonly<Record<string, number>> = {
  InvalidParameterException: 400,
  CodeMismatchException: 400,
  ExpiredCodeException: 400,
  NotAuthorizedException: 401,
  ReauthenticationRequiredException: 401,
  LimitExceededException: 429,
};

/** Per-route answers that replace the table's, e.g. to give sign-in one answer for every way it can fail. */
export type ErrorOverrides = Readonly<Record<string, ErrorResponse>>;

/**
 * Pre Token Generation refusing tokens (lambda/triggers/pre-token-generation.ts) is something a
 * client can cause (answering another factor than the account's), so it is a refused sign-in,
 * not a fault: answered as NotAuthorizedException, through the route's overrides. Cognito names
 * the trigger at the start of the message (amplify-js#9127); should real Cognito word it
 * otherwise, the refusal stays a 500, and no tokens are issued either way.
 */
const refusedTokenIssue = /^PreTokenGeneration failed with error /;

function cognitoName(error: CognitoIdentityProviderServiceException): string {
  return error.name === 'UserLambdaValidationException' && refusedTokenIssue.test(error.message) ? 'NotAuthorizedException' : error.name;
}

export function toErrorResponse(error: unknown, overrides: ErrorOverrides = {}): ErrorResponse {
  const name = error instanceof CognitoIdentityProviderServiceException ? cognitoName(error) : undefined;
  const override = name === undefined ? undefined : overrides[name];
  if (override) return override;
  if (error instanceof MfaServiceError || error instanceof SetupUriFieldError) {
    const status = ownErrorStatus[error.name] ?? 500;
    return { status, name: error.name, message: error.message };
  }
  // Only Cognito's exceptions are the client's business; SES or DynamoDB failing is ours.
  const mapping = name === undefined ? undefined : cognitoExceptions[name];
  const { status, as, message } = mapping ?? internalError;
  return { status, name: as ?? name ?? (error as Error).name, message };
}

/** Logs a failed request by name and status only; see toErrorResponse for why not the message. */
export function logErrorResponse(error: unknown, response: ErrorResponse): void {
  const fields = {
    status: response.status,
    errorName: response.name,
    cause: causeName(error),
    rootCause: error instanceof Error && error.cause instanceof Error ? error.cause.name : undefined,
  };
  if (response.status >= 500) {
    logger.error('request failed', {
      ...fields,
      awsRequestId: isAwsServiceError(error) ? error.$metadata.requestId : undefined,
      // Our own bugs (TypeError and friends) say nothing secret and are needed to fix them.
      detail: isAwsServiceError(error) ? undefined : error instanceof Error ? error.stack : undefined,
    });
  } else {
    logger.info('request refused', fields);
  }
}

function causeName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

interface AwsServiceError extends Error {
  $metadata: { requestId?: string; httpStatusCode?: number };
}

function isAwsServiceError(error: unknown): error is AwsServiceError {
  return error instanceof Error && typeof (error as Partial<AwsServiceError>).$metadata === 'object';
}
