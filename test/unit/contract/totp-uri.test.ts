import { qrCodeSvg } from '../../../lambda/core/qr-code';
import { totpSetupUri } from '../../../contract/totp-uri';

const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

test('Google Authenticator key URI format: issuer in label and parameter, both encoded', () => {
  expect(totpSetupUri(secret, 'ACME Co', 'john.doe@email.com')).toBe(
    `otpauth://totp/ACME%20Co:john.doe%40email.com?secret=${secret}&issuer=ACME%20Co`,
  );
});

test.each([
  ['&', 'Tom & Jerry', 'Tom%20%26%20Jerry'],
  ['?', 'Who?', 'Who%3F'],
  ['#', 'No #1', 'No%20%231'],
  ['%', '100% Co', '100%25%20Co'],
  ['/', 'A/B', 'A%2FB'],
  ['non-ASCII', 'Société', 'Soci%C3%A9t%C3%A9'],
])('%s in the issuer cannot break out of the label or the query', (_, issuer, encoded) => {
  const uri = totpSetupUri(secret, issuer, 'user+tag@example.com');
  expect(uri).toBe(`otpauth://totp/${encoded}:user%2Btag%40example.com?secret=${secret}&issuer=${encoded}`);
  const parsed = new URL(uri);
  expect(parsed.searchParams.get('issuer')).toBe(issuer);
  expect(parsed.searchParams.get('secret')).toBe(secret);
  expect([...parsed.searchParams.keys()]).toEqual(['secret', 'issuer']);
});

test('no quotes around the account name', () => {
  expect(totpSetupUri(secret, 'App', 'a@b.co')).not.toMatch(/%22|"/);
});

test.each([
  ['issuer', 'Evil:Corp', 'user@example.com', 'Field "appName" must not contain a colon.'],
  ['account', 'App', 'a:b@example.com', 'Field "accountName" must not contain a colon.'],
  ['empty issuer', '', 'user@example.com', 'Field "appName" must not be empty.'],
])('a colon or empty value in the %s is refused (the format reserves the colon)', (_, issuer, account, message) => {
  expect(() => totpSetupUri(secret, issuer, account)).toThrow(message);
});

test('the QR code is a standalone SVG with an opaque background that differs per secret', () => {
  const svg = qrCodeSvg(totpSetupUri(secret, 'App', 'a@b.co'));
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox="[^"]+"/);
  expect(svg).toContain('white');
  expect(svg).not.toContain(secret);
  expect(qrCodeSvg(totpSetupUri('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 'App', 'a@b.co'))).not.toBe(svg);
});
