import type { ObjectSchema } from '../lambda/core/request-schema';
import {
  setUpSmsSchema,
  setUpTotpSchema,
  updateMfaPreferenceSchema,
  verifySmsSchema,
  verifyTotpSetupSchema,
} from '../lambda/api/schemas';

/** The access token scope Cognito puts in every token from its sign-in APIs; `token` routes require it. */
export const userAdminScope = 'aws.cognito.signin.user.admin';

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
   * (SMS costs money), so it gets the stage's tighter throttle.
   */
  readonly throttle: 'standard' | 'code';
  readonly requestSchema?: ObjectSchema;
}

export const apiRoutes: readonly ApiRoute[] = [
  { method: 'POST', path: '/mfa/totp/setup', handler: 'set-up-totp', auth: 'token', throttle: 'standard', requestSchema: setUpTotpSchema },
  { method: 'POST', path: '/mfa/totp/verify', handler: 'verify-totp-setup', auth: 'token', throttle: 'code', requestSchema: verifyTotpSetupSchema },
  { method: 'GET', path: '/mfa/preference', handler: 'fetch-mfa-preference', auth: 'token', throttle: 'standard' },
  { method: 'PUT', path: '/mfa/preference', handler: 'update-mfa-preference', auth: 'token', throttle: 'standard', requestSchema: updateMfaPreferenceSchema },
  { method: 'POST', path: '/mfa/sms/setup', handler: 'set-up-sms', auth: 'token', throttle: 'code', requestSchema: setUpSmsSchema },
  { method: 'POST', path: '/mfa/sms/verify', handler: 'verify-sms', auth: 'token', throttle: 'code', requestSchema: verifySmsSchema },
];
