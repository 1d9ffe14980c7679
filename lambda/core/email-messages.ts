import type { PoolMessageSource } from './pool-messages';

/**
 * The texts of every email the service sends. Plain text only: no links a
 * phisher could imitate, and nothing secret except the code itself.
 */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export type SecurityEvent =
  | { readonly kind: 'factor-enrolled'; readonly factor: FactorName }
  | { readonly kind: 'factor-replaced'; readonly factor: FactorName }
  | { readonly kind: 'factor-removed'; readonly factor: FactorName }
  /** `minutes` undefined: locked until an administrator clears it. */
  | { readonly kind: 'email-mfa-locked'; readonly minutes: number | undefined }
  /** SMS or TOTP turned on outside the app for an email-MFA user, switched off at sign-in. */
  | { readonly kind: 'native-mfa-switched-off'; readonly factors: readonly FactorName[] }
  /** A new set of recovery codes replaced the old one. */
  | { readonly kind: 'recovery-codes-issued' }
  /** A recovery code signed the user in; `remaining` 0 means that was the last one. */
  | { readonly kind: 'recovery-code-used'; readonly remaining: number }
  /** An operator removed every factor and recovery code and signed the user out (scripts/admin/reset-mfa.ts). */
  | { readonly kind: 'mfa-reset-by-administrator' };

export type FactorName = 'TOTP' | 'SMS' | 'EMAIL';

const factorDescription: Record<FactorName, string> = {
  TOTP: 'an authenticator app',
  SMS: 'text message (SMS) codes',
  EMAIL: 'email codes',
};

/** What a replacement changes: the thing codes come from. */
const factorSource: Record<FactorName, string> = {
  TOTP: 'authenticator app',
  SMS: 'phone number',
  EMAIL: 'email address',
};

const notYou = 'If this was not you, reset your password now and review the sign-in methods on your account.';

export function signInCodeMessage(appName: string, to: string, code: string, minutes: number): EmailMessage {
  return {
    to,
    subject: `${appName} sign-in code`,
    text: `Your ${appName} sign-in code is ${code}. It expires in ${minutes} minutes.\n\nIf you did not try to sign in, someone may know your password: change it now.`,
  };
}

export function enrolmentCodeMessage(appName: string, to: string, code: string, minutes: number): EmailMessage {
  return {
    to,
    subject: `${appName} verification code`,
    text: `Your ${appName} code to turn on email sign-in codes is ${code}. It expires in ${minutes} minutes.\n\n${notYou}`,
  };
}

export function securityEventMessage(appName: string, to: string, event: SecurityEvent): EmailMessage {
  switch (event.kind) {
    case 'factor-enrolled':
      return notice(appName, to, `Sign-in with ${factorDescription[event.factor]} was turned on for your ${appName} account.`);
    case 'factor-replaced':
      return notice(appName, to, `The ${factorSource[event.factor]} your ${appName} sign-in codes come from was replaced.`);
    case 'factor-removed':
      return notice(appName, to, `Sign-in with ${factorDescription[event.factor]} was turned off for your ${appName} account.`);
    case 'email-mfa-locked':
      return notice(
        appName,
        to,
        `Too many wrong email codes were entered for your ${appName} account, so email sign-in codes are paused ` +
          (event.minutes === undefined ? 'until support unlocks them.' : `for ${event.minutes} minutes.`),
      );
    case 'native-mfa-switched-off':
      return notice(
        appName,
        to,
        `Sign-in with ${event.factors.map((factor) => factorDescription[factor]).join(' and ')} was turned on for your ${appName} ` +
          'account outside the app, and has been switched off: your sign-in codes still come by email.',
      );
    case 'recovery-codes-issued':
      return notice(appName, to, `New recovery codes were created for your ${appName} account. Codes created before them no longer work.`);
    case 'recovery-code-used':
      return recoveryCodeUsedNotice(appName, to, event.remaining);
    case 'mfa-reset-by-administrator':
      return {
        to,
        subject: `${appName} security notice`,
        text:
          `An administrator turned off every sign-in method of your ${appName} account (authenticator app, text message and ` +
          'email codes), deleted your recovery codes and signed you out on every device. Sign in with your password, then set up ' +
          'a sign-in method and new recovery codes.\n\nIf you did not ask for this, contact support and reset your password now.',
      };
  }
}

/**
 * A recovery code is only used by someone who lost a factor, or by someone who
 * has the user's password and codes: the notice says what to do in either case.
 */
function recoveryCodeUsedNotice(appName: string, to: string, remaining: number): EmailMessage {
  const used = `A recovery code was used to sign in to your ${appName} account.`;
  const left =
    remaining === 0
      ? 'That was your last recovery code: create new ones now, so that you are not locked out if you lose a sign-in method again.'
      : `You have ${remaining} recovery ${remaining === 1 ? 'code' : 'codes'} left. If you used it because you lost a sign-in method, set up a new one now.`;
  return {
    to,
    subject: `${appName} security notice`,
    text:
      `${used} ${left}\n\nIf this was not you, someone has your password and your recovery codes: ` +
      'reset your password now, create new recovery codes (the old ones then stop working), and review the sign-in methods on your account.',
  };
}

function notice(appName: string, to: string, what: string): EmailMessage {
  return { to, subject: `${appName} security notice`, text: `${what}\n\n${notYou}` };
}

/**
 * Cognito's own emails, which the custom email sender writes (Cognito gives it
 * only the code). For AdminCreateUser the "code" is the temporary password,
 * sent with the username
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html).
 */
export function poolEmailMessage(appName: string, to: string, source: PoolMessageSource, code: string, username: string): EmailMessage {
  switch (source) {
    case 'Authentication':
      return {
        to,
        subject: `${appName} sign-in code`,
        text: `Your ${appName} sign-in code is ${code}.\n\nIf you did not try to sign in, someone may know your password: change it now.`,
      };
    case 'ForgotPassword':
      return {
        to,
        subject: `${appName} password reset code`,
        text: `Your ${appName} password reset code is ${code}.\n\nIf you did not ask to reset your password, ignore this email: your password stays as it is.`,
      };
    case 'AdminCreateUser':
      return {
        to,
        subject: `Your ${appName} account`,
        text: `An account was created for you on ${appName}.\n\nUsername: ${username}\nTemporary password: ${code}\n\nYou will choose your own password when you first sign in.`,
      };
    case 'AccountTakeOverNotification':
      return notice(appName, to, `A suspicious sign-in to your ${appName} account was detected.`);
    case 'SignUp':
    case 'ResendCode':
      return { to, subject: `Confirm your ${appName} account`, text: `Your ${appName} code to confirm your account is ${code}.` };
    case 'UpdateUserAttribute':
    case 'VerifyUserAttribute':
      return {
        to,
        subject: `Verify your ${appName} email address`,
        text: `Your ${appName} code to verify this email address is ${code}.\n\n${notYou}`,
      };
  }
}
