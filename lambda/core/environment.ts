/**
 * Reads the Lambda environment that `lib/` writes. Called once at module load
 * so that a missing value fails the first invocation loudly instead of a later
 * request quietly.
 */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Environment variable ${name} is not set; the stack sets it for every function that reads it.`);
  }
  return value;
}

/** A comma-separated list; empty or unset means none. */
export function listEnv(name: string): readonly string[] {
  return (process.env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A whole number within bounds; the stack validates the same bounds at synth time. */
export function integerEnv(name: string, min: number, max: number): number {
  const value = Number(requiredEnv(name));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Environment variable ${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}
