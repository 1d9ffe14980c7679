import type { PoolMessageSource } from './pool-messages';

/**
 * The SMS the service writes itself besides Cognito's (below), to the number a user's SMS codes go to
 * when a new one is set: no code, no link, no new number (the holder of the old
 * one may not be the one who set it).
 */
export function numberChangeNotice(appName: string): string {
  return `${appName}: a new phone number was set for your sign-in codes. If this was not you, reset your password now.`;
}

/**
 * The texts of Cognito's messages, which the custom SMS sender writes (Cognito
 * gives it only the code): short enough for one message with a 40-character
 * app name (lib/mfa-user-pool.ts). For AdminCreateUser the "code" is the
 * temporary password
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html).
 */
export function poolSmsText(appName: string, source: PoolMessageSource, code: string, username: string): string {
  switch (source) {
    case 'Authentication':
      return `${appName} sign-in code: ${code}`;
    case 'ForgotPassword':
      return `${appName} password reset code: ${code}. If you did not ask for it, ignore this text.`;
    case 'AdminCreateUser':
      return `${appName}: your username is ${username} and your temporary password is ${code}`;
    case 'AccountTakeOverNotification':
      return `${appName}: a suspicious sign-in to your account was blocked. If it was not you, reset your password now.`;
    case 'SignUp':
    case 'ResendCode':
    case 'UpdateUserAttribute':
    case 'VerifyUserAttribute':
      return `${appName} verification code: ${code}`;
  }
}
