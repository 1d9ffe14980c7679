import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';

/**
 * The exceptions each Cognito user API can raise, from the "Errors" section of
 * its page in the Amazon Cognito API reference, e.g.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifySoftwareToken.html
 * plus OperationNotEnabledException, which the SDK's `@throws` lists add to all of them.
 */
export const exceptionsOf = {
  AssociateSoftwareToken: ['ConcurrentModification', 'InvalidParameter', 'NotAuthorized', 'ResourceNotFound', 'InternalError', 'SoftwareTokenMFANotFound', 'Forbidden', 'OperationNotEnabled'],
  VerifySoftwareToken: ['InvalidParameter', 'ResourceNotFound', 'InvalidUserPoolConfiguration', 'NotAuthorized', 'TooManyRequests', 'PasswordResetRequired', 'UserNotFound', 'UserNotConfirmed', 'InternalError', 'EnableSoftwareTokenMFA', 'SoftwareTokenMFANotFound', 'CodeMismatch', 'Forbidden', 'OperationNotEnabled'],
  GetUser: ['ResourceNotFound', 'InvalidParameter', 'NotAuthorized', 'TooManyRequests', 'PasswordResetRequired', 'UserNotFound', 'UserNotConfirmed', 'InternalError', 'Forbidden', 'OperationNotEnabled'],
  SetUserMFAPreference: ['ResourceNotFound', 'InvalidParameter', 'NotAuthorized', 'PasswordResetRequired', 'UserNotFound', 'UserNotConfirmed', 'InternalError', 'Forbidden', 'OperationNotEnabled'],
  UpdateUserAttributes: ['ResourceNotFound', 'InvalidParameter', 'CodeMismatch', 'ExpiredCode', 'NotAuthorized', 'UnexpectedLambda', 'UserLambdaValidation', 'InvalidLambdaResponse', 'TooManyRequests', 'AliasExists', 'InvalidSmsRoleAccessPolicy', 'InvalidSmsRoleTrustRelationship', 'InvalidEmailRoleAccessPolicy', 'CodeDeliveryFailure', 'PasswordResetRequired', 'UserNotFound', 'UserNotConfirmed', 'InternalError', 'Forbidden', 'OperationNotEnabled'],
  VerifyUserAttribute: ['ResourceNotFound', 'InvalidParameter', 'CodeMismatch', 'ExpiredCode', 'NotAuthorized', 'TooManyRequests', 'LimitExceeded', 'PasswordResetRequired', 'UserNotFound', 'UserNotConfirmed', 'InternalError', 'AliasExists', 'Forbidden', 'OperationNotEnabled'],
  AdminGetUser: ['InternalError', 'InvalidParameter', 'NotAuthorized', 'OperationNotEnabled', 'ResourceNotFound', 'TooManyRequests', 'UserNotFound'],
  AdminUpdateUserAttributes: ['AliasExists', 'InternalError', 'InvalidEmailRoleAccessPolicy', 'InvalidLambdaResponse', 'InvalidParameter', 'InvalidSmsRoleAccessPolicy', 'InvalidSmsRoleTrustRelationship', 'NotAuthorized', 'OperationNotEnabled', 'ResourceNotFound', 'TooManyRequests', 'UnexpectedLambda', 'UserLambdaValidation', 'UserNotFound'],
  InitiateAuth: ['FeatureUnavailableInTier', 'Forbidden', 'InternalError', 'InvalidEmailRoleAccessPolicy', 'InvalidLambdaResponse', 'InvalidParameter', 'InvalidSmsRoleAccessPolicy', 'InvalidSmsRoleTrustRelationship', 'InvalidUserPoolConfiguration', 'NotAuthorized', 'OperationNotEnabled', 'PasswordResetRequired', 'ResourceNotFound', 'TooManyRequests', 'UnexpectedLambda', 'UnsupportedOperation', 'UserLambdaValidation', 'UserNotConfirmed', 'UserNotFound'],
  RespondToAuthChallenge: ['AliasExists', 'CodeMismatch', 'ExpiredCode', 'Forbidden', 'InternalError', 'InvalidEmailRoleAccessPolicy', 'InvalidLambdaResponse', 'InvalidParameter', 'InvalidPassword', 'InvalidSmsRoleAccessPolicy', 'InvalidSmsRoleTrustRelationship', 'InvalidUserPoolConfiguration', 'MFAMethodNotFound', 'NotAuthorized', 'OperationNotEnabled', 'PasswordHistoryPolicyViolation', 'PasswordResetRequired', 'ResourceNotFound', 'SoftwareTokenMFANotFound', 'TooManyRequests', 'UnexpectedLambda', 'UserLambdaValidation', 'UserNotConfirmed', 'UserNotFound'],
  GetUserAttributeVerificationCode: ['ResourceNotFound', 'InvalidParameter', 'TooManyRequests', 'NotAuthorized', 'UnexpectedLambda', 'UserLambdaValidation', 'InvalidLambdaResponse', 'InvalidSmsRoleAccessPolicy', 'InvalidSmsRoleTrustRelationship', 'InvalidEmailRoleAccessPolicy', 'CodeDeliveryFailure', 'LimitExceeded', 'PasswordResetRequired', 'UserNotFound', 'UserNotConfirmed', 'InternalError', 'Forbidden', 'OperationNotEnabled'],
} as const satisfies Record<string, readonly string[]>;

/**
 * What the client must see for each exception: the status and the name. Written
 * out here, not read from lambda/http/error-responses.ts, so the test checks the
 * table rather than repeating it.
 */
export const expectedAnswer: Readonly<Record<string, readonly [number, string]>> = {
  NotAuthorizedException: [401, 'NotAuthorizedException'],
  UserNotFoundException: [401, 'NotAuthorizedException'],
  ForbiddenException: [403, 'ForbiddenException'],
  PasswordResetRequiredException: [403, 'PasswordResetRequiredException'],
  UserNotConfirmedException: [403, 'UserNotConfirmedException'],
  InvalidParameterException: [400, 'InvalidParameterException'],
  CodeMismatchException: [400, 'CodeMismatchException'],
  EnableSoftwareTokenMFAException: [400, 'CodeMismatchException'],
  ExpiredCodeException: [400, 'ExpiredCodeException'],
  SoftwareTokenMFANotFoundException: [400, 'SoftwareTokenMFANotFoundException'],
  CodeDeliveryFailureException: [400, 'CodeDeliveryFailureException'],
  AliasExistsException: [400, 'AliasExistsException'],
  ConcurrentModificationException: [409, 'ConcurrentModificationException'],
  LimitExceededException: [429, 'LimitExceededException'],
  TooManyRequestsException: [429, 'TooManyRequestsException'],
  InternalErrorException: [500, 'InternalErrorException'],
  ResourceNotFoundException: [500, 'InternalErrorException'],
  InvalidUserPoolConfigurationException: [500, 'InternalErrorException'],
  InvalidSmsRoleAccessPolicyException: [500, 'InternalErrorException'],
  InvalidSmsRoleTrustRelationshipException: [500, 'InternalErrorException'],
  InvalidEmailRoleAccessPolicyException: [500, 'InternalErrorException'],
  InvalidLambdaResponseException: [500, 'InternalErrorException'],
  UnexpectedLambdaException: [500, 'InternalErrorException'],
  UserLambdaValidationException: [500, 'InternalErrorException'],
  OperationNotEnabledException: [500, 'InternalErrorException'],
  FeatureUnavailableInTierException: [500, 'InternalErrorException'],
  UnsupportedOperationException: [500, 'InternalErrorException'],
  MFAMethodNotFoundException: [400, 'MFAMethodNotFoundException'],
  InvalidPasswordException: [400, 'InvalidPasswordException'],
  PasswordHistoryPolicyViolationException: [400, 'PasswordHistoryPolicyViolationException'],
};

/**
 * From an admin API (IAM-authorized), NotAuthorizedException means the
 * function's role lacks a permission: the client sees an internal error, not
 * "sign in again".
 */
export function expectedAnswerFor(command: string, exception: string): readonly [number, string] | undefined {
  if (command.startsWith('Admin') && exception === 'NotAuthorizedException') return [500, 'InternalErrorException'];
  return expectedAnswer[exception];
}

/**
 * An exception as the SDK raises it. Its message quotes a value, as Cognito's
 * validation messages can, so tests can check it is never passed on.
 */
export function cognitoException(shortName: string): CognitoIdentityProviderServiceException {
  const name = `${shortName}Exception`;
  return new CognitoIdentityProviderServiceException({
    name,
    $fault: name === 'InternalErrorException' ? 'server' : 'client',
    $metadata: { httpStatusCode: 400, requestId: 'cognito-request-id' },
    message: "1 validation error detected: Value '424242' at 'userCode' failed to satisfy constraint",
  });
}
