/**
 * Builds the `otpauth://` URI of Google Authenticator's key URI format
 * (https://github.com/google/google-authenticator/wiki/Key-Uri-Format):
 * issuer and account name percent-encoded, the issuer both as the label prefix
 * (older apps read only that) and as the `issuer` parameter, no quotes around
 * the account name. Cognito's TOTP is SHA-1, 6 digits, 30 seconds: the format's
 * defaults, so they are not repeated. The API builds it for POST /mfa/totp/setup
 * and the client for Amplify's `getSetupUri`, so the two cannot differ.
 */
export function totpSetupUri(sharedSecret: string, issuer: string, accountName: string): string {
  for (const [field, value] of [
    ['appName', issuer],
    ['accountName', accountName],
  ] as const) {
    if (value.includes(':')) throw new SetupUriFieldError(field, 'must not contain a colon');
    if (value.length === 0) throw new SetupUriFieldError(field, 'must not be empty');
  }
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = `secret=${encodeURIComponent(sharedSecret)}&issuer=${encodeURIComponent(issuer)}`;
  return `otpauth://totp/${label}?${query}`;
}

/** An issuer or account name the key URI format cannot carry; the API answers it as a 400, the client as an AuthError. */
export class SetupUriFieldError extends Error {
  override readonly name = 'InvalidParameterException';
  constructor(
    readonly field: 'appName' | 'accountName',
    rule: string,
  ) {
    super(`Field "${field}" ${rule}.`);
  }
}
