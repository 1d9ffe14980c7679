import type { ObjectSchema } from '../lambda/core/request-schema';
import {
  setUpEmailSchema,
  setUpSmsSchema,
  confirmSignInSchema,
  setUpTotpSchema,
  signInSchema,
  updateMfaPreferenceSchema,
  verifyEmailSchema,
  verifySmsSchema,
  verifyTotpSetupSchema,
} from '../lambda/api/schemas';

/** The access token scope Cognito puts in every token from its sign-in APIs; `token` routes require it. */
export const userAdminScope = 'aws.cognito.signin.user.admin';

/**
 * What a route's function may do beyond its user's own token:
 * - `readUser`: AdminGetUser (the email MFA mark is invisible to the user's token),
 * - `updateUserAttributes`: AdminUpdateUserAttributes (the email MFA mark and the
 *   phone number, which no app client may write; IAM cannot narrow it to them),
 * - `mfaTableSaveCode`: read the email MFA table and put a code in it,
 * - `mfaTable`: that, and update and delete (check codes, charge the budget),
 * - `sendEmail`: SES, from the configured sender only,
 * - `readServerClientSecret`: DescribeUserPoolClient, for the server client's secret.
 */
export type RoutePermission =
  | 'readUser'
  | 'updateUserAttributes'
  | 'mfaTableSaveCode'
  | 'mfaTable'
  | 'sendEmail'
  | 'readServerClientSecret';

/**
 * The REST API in one table: the stack builds its methods from it, the local
 * HTTP adapter of the integration tests routes by it, and a test holds
 * docs/openapi.yaml to it.
 */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** File name under lambda/api/, without extension. */
  readonly handler: string;
  /** `token`: behind the Cognito user-pool authorizer. */
  readonly auth: 'token' | 'none';
  /**
   * `code`: the route checks a one-time code (a guesser's target) or sends one
   * (SMS and email cost money), so it gets the stage's tighter throttle.
   */
  readonly throttle: 'standard' | 'code';
  readonly requestSchema?: ObjectSchema;
  readonly permissions: readonly RoutePermission[];
  /** Present only when the deployment has email MFA on. */
  readonly feature?: 'emailMfa';
}

export const apiRoutes: readonly ApiRoute[] = [
  { method: 'POST', path: '/mfa/totp/setup', handler: 'set-up-totp', auth: 'token', throttle: 'standard', requestSchema: setUpTotpSchema, permissions: ['readUser'] },
  { method: 'POST', path: '/mfa/totp/verify', handler: 'verify-totp-setup', auth: 'token', throttle: 'code', requestSchema: verifyTotpSetupSchema, permissions: ['readUser', 'sendEmail'] },
  { method: 'GET', path: '/mfa/preference', handler: 'fetch-mfa-preference', auth: 'token', throttle: 'standard', permissions: ['readUser'] },
  { method: 'PUT', path: '/mfa/preference', handler: 'update-mfa-preference', auth: 'token', throttle: 'standard', requestSchema: updateMfaPreferenceSchema, permissions: ['readUser', 'updateUserAttributes', 'sendEmail'] },
  { method: 'POST', path: '/mfa/sms/setup', handler: 'set-up-sms', auth: 'token', throttle: 'code', requestSchema: setUpSmsSchema, permissions: ['readUser', 'updateUserAttributes'] },
  { method: 'POST', path: '/mfa/sms/verify', handler: 'verify-sms', auth: 'token', throttle: 'code', requestSchema: verifySmsSchema, permissions: ['readUser', 'sendEmail'] },
  { method: 'POST', path: '/mfa/email/setup', handler: 'set-up-email', auth: 'token', throttle: 'code', requestSchema: setUpEmailSchema, permissions: ['readUser', 'mfaTableSaveCode', 'sendEmail'], feature: 'emailMfa' },
  { method: 'POST', path: '/mfa/email/verify', handler: 'verify-email', auth: 'token', throttle: 'code', requestSchema: verifyEmailSchema, permissions: ['readUser', 'updateUserAttributes', 'mfaTable', 'sendEmail'], feature: 'emailMfa' },
  { method: 'POST', path: '/auth/sign-in', handler: 'sign-in', auth: 'none', throttle: 'code', requestSchema: signInSchema, permissions: ['readServerClientSecret'] },
  { method: 'POST', path: '/auth/confirm-sign-in', handler: 'confirm-sign-in', auth: 'none', throttle: 'code', requestSchema: confirmSignInSchema, permissions: ['readServerClientSecret'] },
];

/** The routes a deployment has. */
export function routesFor(features: { emailMfa: boolean }): readonly ApiRoute[] {
  return apiRoutes.filter((route) => route.feature !== 'emailMfa' || features.emailMfa);
}
