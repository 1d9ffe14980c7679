/**
 * Finds secrets in log lines: every value a test registered as secret (codes,
 * passwords, TOTP secrets, tokens, setup URIs), and anything shaped like one
 * whatever test produced it.
 */
const secretShapes: readonly [string, RegExp][] = [
  ['JWT', /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/],
  ['setup URI', /otpauth:\/\//i],
  ['QR code', /<svg/i],
  ['TOTP secret', /\b[A-Z2-7]{32}\b/],
  ['Authorization header', /bearer\s+\S/i],
  ['recovery code', /\b[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}\b/],
];

export interface LogFinding {
  readonly line: string;
  readonly what: string;
}

export class SecretRegistry {
  private readonly values = new Map<string, string>();

  add(value: string | undefined, what: string): void {
    // Shorter strings would match by chance; codes are 6 digits or more.
    if (value && value.length >= 6) this.values.set(value, what);
  }

  scan(lines: readonly string[]): LogFinding[] {
    const findings: LogFinding[] = [];
    for (const line of lines) {
      for (const [value, what] of this.values) {
        if (containsToken(line, value)) findings.push({ line, what });
      }
      for (const [what, shape] of secretShapes) {
        if (shape.test(line)) findings.push({ line, what });
      }
    }
    return findings;
  }
}

/** A digits-only secret counts only where it is not part of a longer number (timestamps, ids). */
function containsToken(line: string, value: string): boolean {
  if (!/^[0-9]+$/.test(value)) return line.includes(value);
  return new RegExp(`(?<![0-9])${value}(?![0-9])`).test(line);
}
