/**
 * What Cognito's answer to the API's password check (lambda/core/sign-in-policy.ts)
 * says about the password. Cognito asks for a user's SMS or TOTP code, or lets
 * them choose one, only after a right password; for everyone else Define ends a
 * right password in the PASSWORD_CHECKED challenge. Any other answer (tokens, a
 * new password to set, MFA set-up) is not a proven password for recovery: such a
 * user has no factor to have lost.
 */
export function passwordProven(answer: {
  readonly challengeName?: string;
  readonly parameters: Readonly<Record<string, string>>;
}): boolean {
  switch (answer.challengeName) {
    case 'SMS_MFA':
    case 'SOFTWARE_TOKEN_MFA':
    case 'SELECT_MFA_TYPE':
      return true;
    case 'CUSTOM_CHALLENGE':
      return answer.parameters.kind === 'PASSWORD_CHECKED';
    default:
      return false;
  }
}
