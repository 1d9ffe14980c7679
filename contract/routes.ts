import {
  confirmSignInSchema,
  recoverSchema,
  generateRecoveryCodesSchema,
  refreshTokenSchema,
  setUpEmailSchema,
  setUpSmsSchema,
  setUpTotpSchema,
  signInSchema,
  updateMfaPreferenceSchema,
  verifyEmailSchema,
  verifySmsSchema,
  verifyTotpSetupSchema,
} from './request-bodies.js';
import type { ObjectSchema } from './schema.js';
import type { GlobalSignOutRoute, RefreshRoute, SignOutRoute } from './session.js';

/** The access token scope Cognito puts in every token from its sign-in APIs; `token` routes require it. */
export const userAdminScope = 'aws.cognito.signin.user.admin';

/**
 * What a route's function may do beyond its user's own token:
 * - `readUser`: AdminGetUser (the email MFA mark is invisible to the user's token),
 * - `updateUserAttributes`: AdminUpdateUserAttributes (the email MFA mark and the
 *   phone number, which no app client may write; IAM cannot narrow it to them),
 * - `mfaTableSaveCode`: read the email MFA table and put a code (or the email cap's send log) in it,
 * - `mfaTable`: that, and update and delete (check codes, charge the budget),
 * - `sendEmail`: SES, from the configured sender only,
 * - `readServerClientSecret`: DescribeUserPoolClient, for the server client's secret,
 * - `sendCaps`: read and replace the user's send logs in the MFA table (the per-account caps),
 * - `sendSms`: SNS Publish to a phone number (no ARN exists to narrow it to),
 * - `recoveryCodesWrite`: put the user's recovery code set in the MFA table, in place of the old one,
 * - `recoveryCodesRead`: read it.
 */
export type RoutePermission =
  | 'readUser'
  | 'updateUserAttributes'
  | 'mfaTableSaveCode'
  | 'mfaTable'
  | 'sendEmail'
  | 'readServerClientSecret'
  | 'sendCaps'
  | 'sendSms'
  | 'recoveryCodesWrite'
  | 'recoveryCodesRead';

/** A success answer: its status and, with a body, the docs/openapi.yaml schema that describes it. */
export type RouteAnswer = { readonly status: 200; readonly schema: string } | { readonly status: 204 };

/**
 * One route of the REST API. The stack builds its methods and grants from these
 * rows, each handler takes its schema and step-up rule from its own row, the
 * local HTTP adapter of the tests routes by them, and tests hold docs/openapi.yaml
 * and the stack's permissions to them.
 */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** File name under lambda/api/, without extension. */
  readonly handler: string;
  /** `token`: behind the Cognito user-pool authorizer. */
  readonly auth: 'token' | 'none';
  /** True for routes that change the user's factors: they need a recent sign-in (lambda/core/step-up.ts). */
  readonly stepUp: boolean;
  /**
   * `code`: the route checks a one-time code (a guesser's target) or sends one
   * (SMS and email cost money), so it gets the stage's tighter throttle.
   */
  readonly throttle: 'standard' | 'code';
  /** Absent for routes that take no body. */
  readonly requestSchema?: ObjectSchema;
  readonly answer: RouteAnswer;
  readonly permissions: readonly RoutePermission[];
  /** Present only when the deployment has email MFA on. */
  readonly feature?: 'emailMfa';
}

/** A route behind the authorizer, as a handler's own row (for `authenticatedRoute`). */
export type TokenRoute = ApiRoute & { readonly auth: 'token' };
export type PublicRoute = ApiRoute & { readonly auth: 'none'; readonly requestSchema: ObjectSchema };

// One constant per route, so that a handler's bundle keeps only its own row and schema.
export const setUpTotpRoute = {
  method: 'POST',
  path: '/mfa/totp/setup',
  handler: 'set-up-totp',
  auth: 'token',
  stepUp: true,
  throttle: 'standard',
  requestSchema: setUpTotpSchema,
  answer: { status: 200, schema: 'SetUpTotpResponse' },
  permissions: ['readUser'],
} as const satisfies TokenRoute;

export const verifyTotpSetupRoute = {
  method: 'POST',
  path: '/mfa/totp/verify',
  handler: 'verify-totp-setup',
  auth: 'token',
  stepUp: true,
  throttle: 'code',
  requestSchema: verifyTotpSetupSchema,
  answer: { status: 204 },
  permissions: ['readUser', 'sendEmail'],
} as const satisfies TokenRoute;

export const fetchMfaPreferenceRoute = {
  method: 'GET',
  path: '/mfa/preference',
  handler: 'fetch-mfa-preference',
  auth: 'token',
  stepUp: false,
  throttle: 'standard',
  answer: { status: 200, schema: 'MfaPreference' },
  permissions: ['readUser'],
} as const satisfies TokenRoute;

export const updateMfaPreferenceRoute = {
  method: 'PUT',
  path: '/mfa/preference',
  handler: 'update-mfa-preference',
  auth: 'token',
  stepUp: true,
  throttle: 'standard',
  requestSchema: updateMfaPreferenceSchema,
  answer: { status: 200, schema: 'MfaPreference' },
  permissions: ['readUser', 'updateUserAttributes', 'sendEmail'],
} as const satisfies TokenRoute;

export const setUpSmsRoute = {
  method: 'POST',
  path: '/mfa/sms/setup',
  handler: 'set-up-sms',
  auth: 'token',
  stepUp: true,
  throttle: 'code',
  requestSchema: setUpSmsSchema,
  answer: { status: 200, schema: 'SetUpSmsResponse' },
  permissions: ['readUser', 'updateUserAttributes', 'sendCaps', 'sendSms'],
} as const satisfies TokenRoute;

export const verifySmsRoute = {
  method: 'POST',
  path: '/mfa/sms/verify',
  handler: 'verify-sms',
  auth: 'token',
  stepUp: true,
  throttle: 'code',
  requestSchema: verifySmsSchema,
  answer: { status: 204 },
  permissions: ['readUser', 'sendEmail'],
} as const satisfies TokenRoute;

export const setUpEmailRoute = {
  method: 'POST',
  path: '/mfa/email/setup',
  handler: 'set-up-email',
  auth: 'token',
  stepUp: true,
  throttle: 'code',
  requestSchema: setUpEmailSchema,
  answer: { status: 200, schema: 'SetUpEmailResponse' },
  // mfaTableSaveCode also covers the email cap's send log: the same actions on the same table.
  permissions: ['readUser', 'mfaTableSaveCode', 'sendEmail'],
  feature: 'emailMfa',
} as const satisfies TokenRoute;

export const verifyEmailRoute = {
  method: 'POST',
  path: '/mfa/email/verify',
  handler: 'verify-email',
  auth: 'token',
  stepUp: true,
  throttle: 'code',
  requestSchema: verifyEmailSchema,
  answer: { status: 204 },
  permissions: ['readUser', 'updateUserAttributes', 'mfaTable', 'sendEmail'],
  feature: 'emailMfa',
} as const satisfies TokenRoute;

/** Recovery codes exist whatever `emailMfa` is: they are for users of any factor. */
export const generateRecoveryCodesRoute = {
  method: 'POST',
  path: '/mfa/recovery-codes',
  handler: 'generate-recovery-codes',
  auth: 'token',
  stepUp: true,
  throttle: 'standard',
  requestSchema: generateRecoveryCodesSchema,
  answer: { status: 200, schema: 'RecoveryCodes' },
  // The notice's address comes from GetUser with the caller's token, which needs no grant.
  permissions: ['recoveryCodesWrite', 'sendEmail'],
} as const satisfies TokenRoute;

export const fetchRecoveryCodeStatusRoute = {
  method: 'GET',
  path: '/mfa/recovery-codes',
  handler: 'fetch-recovery-code-status',
  auth: 'token',
  stepUp: false,
  throttle: 'standard',
  answer: { status: 200, schema: 'RecoveryCodeStatus' },
  permissions: ['recoveryCodesRead'],
} as const satisfies TokenRoute;

export const signInRoute = {
  method: 'POST',
  path: '/auth/sign-in',
  handler: 'sign-in',
  auth: 'none',
  stepUp: false,
  throttle: 'code',
  requestSchema: signInSchema,
  answer: { status: 200, schema: 'SignInOutput' },
  permissions: ['readServerClientSecret'],
} as const satisfies PublicRoute;

export const confirmSignInRoute = {
  method: 'POST',
  path: '/auth/confirm-sign-in',
  handler: 'confirm-sign-in',
  auth: 'none',
  stepUp: false,
  throttle: 'code',
  requestSchema: confirmSignInSchema,
  answer: { status: 200, schema: 'SignInOutput' },
  permissions: ['readServerClientSecret'],
} as const satisfies PublicRoute;

/**
 * Refresh is not a code route: every signed-in client calls it about hourly, so the
 * code routes' stage-wide throttle would cap the sessions a deployment can keep, and a
 * refresh token cannot be guessed.
 */
export const refreshRoute = {
  method: 'POST',
  path: '/auth/refresh' satisfies RefreshRoute['path'],
  handler: 'refresh',
  auth: 'none',
  stepUp: false,
  throttle: 'standard',
  requestSchema: refreshTokenSchema,
  answer: { status: 200, schema: 'RefreshOutput' },
  permissions: ['readServerClientSecret'],
} as const satisfies PublicRoute;

export const signOutRoute = {
  method: 'POST',
  path: '/auth/sign-out' satisfies SignOutRoute['path'],
  handler: 'sign-out',
  auth: 'none',
  stepUp: false,
  throttle: 'code',
  requestSchema: refreshTokenSchema,
  answer: { status: 204 },
  permissions: ['readServerClientSecret'],
} as const satisfies PublicRoute;

/** Cognito's GlobalSignOut with the caller's own access token: no grant beyond it. */
export const globalSignOutRoute = {
  method: 'POST',
  path: '/auth/global-sign-out' satisfies GlobalSignOutRoute['path'],
  handler: 'global-sign-out',
  auth: 'token',
  stepUp: false,
  throttle: 'code',
  answer: { status: 204 },
  permissions: [],
} as const satisfies TokenRoute;

/**
 * Signs in with password and recovery code: the recovery set and its failure budget,
 * and the one-time ticket, are all MFA table items; the notice is email.
 */
export const recoverRoute = {
  method: 'POST',
  path: '/auth/recover',
  handler: 'recover',
  auth: 'none',
  stepUp: false,
  throttle: 'code',
  requestSchema: recoverSchema,
  answer: { status: 200, schema: 'SignInOutput' },
  permissions: ['readServerClientSecret', 'mfaTable', 'sendEmail'],
} as const satisfies PublicRoute;

/** The REST API in one table. */
export const apiRoutes: readonly ApiRoute[] = [
  setUpTotpRoute,
  verifyTotpSetupRoute,
  fetchMfaPreferenceRoute,
  updateMfaPreferenceRoute,
  setUpSmsRoute,
  verifySmsRoute,
  setUpEmailRoute,
  verifyEmailRoute,
  generateRecoveryCodesRoute,
  fetchRecoveryCodeStatusRoute,
  signInRoute,
  confirmSignInRoute,
  recoverRoute,
  refreshRoute,
  signOutRoute,
  globalSignOutRoute,
];

/** The routes a deployment has. */
export function routesFor(features: { emailMfa: boolean }): readonly ApiRoute[] {
  return apiRoutes.filter((route) => route.feature !== 'emailMfa' || features.emailMfa);
}
