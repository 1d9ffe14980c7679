/** Now, in the epoch seconds that tokens (`auth_time`), code expiries and the failure budget use. */
export function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
