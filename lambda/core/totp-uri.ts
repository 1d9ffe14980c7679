import { InvalidParameterException } from './errors';

/**
 * Builds the `otpauth://` URI of Google Authenticator's key URI format
 * (https://github.com/google/google-authenticator/wiki/Key-Uri-Format):
 * issuer and account name percent-encoded, the issuer both as the label prefix
 * (older apps read only that) and as the `issuer` parameter, no quotes around
 * the account name. Cognito's TOTP is SHA-1, 6 digits, 30 seconds: the format's
 * defaults, so they are not repeated.
 */
export function totpSetupUri(sharedSecret: string, issuer: string, accountName: string): string {
  for (const [what, value] of [
    ['appName', issuer],
    ['accountName', accountName],
  ] as const) {
    if (value.includes(':')) throw new InvalidParameterException(`Field "${what}" must not contain a colon.`);
    if (value.length === 0) throw new InvalidParameterException(`Field "${what}" must not be empty.`);
  }
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = `secret=${encodeURIComponent(sharedSecret)}&issuer=${encodeURIComponent(issuer)}`;
  return `otpauth://totp/${label}?${query}`;
}
