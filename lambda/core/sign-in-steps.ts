import type { AuthMFAType, NextStep, SignInStep } from '../../contract/amplify';
import { InvalidParameterException } from './errors';
import { amplifyMfaTypeOf } from './mfa-preference';
import { assertNoSendLimit } from './send-caps';

/**
 * Amplify's `signIn` / `confirmSignIn` answers, from Cognito's challenges. The
 * API returns Cognito's session inside an opaque `session` string that also
 * names the challenge, because Amplify keeps that state on the client and the
 * REST API is stateless.
 */
/** The Cognito challenges this API can carry through, and the step each becomes. */
const stepOf = {
  SMS_MFA: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
  SOFTWARE_TOKEN_MFA: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE',
  CUSTOM_CHALLENGE: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
  SELECT_MFA_TYPE: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
  MFA_SETUP: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP',
  NEW_PASSWORD_REQUIRED: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
} as const satisfies Record<string, SignInStep>;

export type SupportedChallenge = keyof typeof stepOf;

/**
 * Cognito challenges this deployment cannot produce or this API does not carry:
 * device tracking (off on both clients), choice-based and passwordless sign-in
 * (not enabled), native email OTP (needs a paid plan), and the steps the API
 * itself answers (SRP). Meeting one is a deployment fault, not a client error.
 */
export class UnsupportedChallengeError extends Error {
  override readonly name = 'UnsupportedChallengeError';
}

export function isSupportedChallenge(name: string | undefined): name is SupportedChallenge {
  return name !== undefined && Object.hasOwn(stepOf, name);
}

/** The next step for a challenge; MFA_SETUP's setup details are added by the caller, which has to ask Cognito for them. */
export function nextStepFor(challengeName: string | undefined, parameters: Readonly<Record<string, string>>): NextStep {
  if (!isSupportedChallenge(challengeName)) {
    throw new UnsupportedChallengeError(`Cognito asked for ${challengeName ?? 'no challenge'}, which this API does not carry`);
  }
  const signInStep = stepOf[challengeName];
  switch (challengeName) {
    case 'SMS_MFA':
      return {
        signInStep,
        codeDeliveryDetails: {
          deliveryMedium: parameters.CODE_DELIVERY_DELIVERY_MEDIUM ?? 'SMS',
          destination: parameters.CODE_DELIVERY_DESTINATION,
        },
      };
    case 'CUSTOM_CHALLENGE':
      // Our one custom challenge is the email code; its public parameters say where it went, or that none was sent.
      assertNoSendLimit(parameters);
      return { signInStep, codeDeliveryDetails: { deliveryMedium: parameters.deliveryMedium, destination: parameters.destination } };
    case 'SELECT_MFA_TYPE':
      return { signInStep, allowedMFATypes: mfaTypes(parameters.MFAS_CAN_CHOOSE) };
    default:
      return { signInStep };
  }
}

function mfaTypes(json: string | undefined): AuthMFAType[] {
  try {
    const names = JSON.parse(json ?? '[]') as unknown;
    return Array.isArray(names) ? names.flatMap((name) => amplifyMfaTypeOf[String(name)] ?? []) : [];
  } catch {
    return [];
  }
}

/** Amplify's `confirmSignIn({ challengeResponse })` for MFA selection says 'SMS' or 'TOTP'. */
export function selectedMfaChallenge(challengeResponse: string): 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' {
  if (challengeResponse === 'SMS') return 'SMS_MFA';
  if (challengeResponse === 'TOTP') return 'SOFTWARE_TOKEN_MFA';
  throw new InvalidParameterException('Field "challengeResponse" must be SMS or TOTP for this step.');
}

/**
 * The API's session: the challenge it answers, the Cognito user name that
 * challenge was issued to (the sub, when users sign in with their email), and
 * Cognito's own session, as one opaque base64url string. Cognito checks its
 * session itself, so a client that edits this gains nothing.
 */
export interface ApiSession {
  readonly challengeName: SupportedChallenge;
  readonly username: string;
  readonly cognitoSession: string;
}

export function encodeSession(session: ApiSession): string {
  return Buffer.from(JSON.stringify([session.challengeName, session.username, session.cognitoSession])).toString('base64url');
}

export function decodeSession(text: string): ApiSession {
  try {
    const [challengeName, username, cognitoSession] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (
      isSupportedChallenge(challengeName as string) &&
      typeof username === 'string' &&
      username &&
      typeof cognitoSession === 'string' &&
      cognitoSession
    ) {
      return { challengeName: challengeName as SupportedChallenge, username, cognitoSession };
    }
  } catch {
    // falls through: not one of ours
  }
  throw new InvalidParameterException('Field "session" is not a session this API issued. Sign in again.');
}
