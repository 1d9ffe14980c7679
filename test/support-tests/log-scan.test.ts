import { SecretRegistry } from '../support/log-scan';

test('finds registered values and secret-shaped text', () => {
  const registry = new SecretRegistry();
  registry.add('Pw-secret-password', 'password');
  registry.add('123456', 'code');
  const findings = registry.scan([
    '{"message":"ok","requestId":"c1d2"}',
    '{"password":"Pw-secret-password"}',
    '{"code":"123456"}',
    'token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl',
    'otpauth://totp/A:b?secret=X',
    'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    'Authorization: Bearer abc',
    '<svg xmlns="http://www.w3.org/2000/svg">',
    'used 7K3Q-M9XD-2RTB-HC4W',
  ]);
  expect(findings.map((finding) => finding.what)).toEqual([
    'password',
    'code',
    'JWT',
    'setup URI',
    'TOTP secret',
    'Authorization header',
    'QR code',
    'recovery code',
  ]);
});

test('a code is not found inside a longer number such as a timestamp', () => {
  const registry = new SecretRegistry();
  registry.add('123456', 'code');
  expect(registry.scan(['{"time":1712345678,"latency":"0.1234567"}'])).toEqual([]);
});

test('values shorter than six characters are not registered (they would match by chance)', () => {
  const registry = new SecretRegistry();
  registry.add('abc', 'short');
  expect(registry.scan(['abc'])).toEqual([]);
});
