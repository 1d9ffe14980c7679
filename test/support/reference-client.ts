/**
 * amazon-cognito-identity-js, AWS's reference SRP client, loaded the way Node.js 20
 * loaded it. Its jsbn BigInteger picks a multiply routine at load time: where
 * `navigator` exists (Node.js 21 and later define one) it takes the browser branch,
 * `am1`, whose inner loop reads the global `Math`. Inside Jest's vm context every
 * global read goes through an interceptor (jestjs/jest#5163, nodejs/node#31658), so
 * one SRP sign-in took 10 to 30 s on 2 cores and the tests timed out under load.
 * Hidden `navigator` while the package loads, jsbn picks `am3` (what it uses on
 * Node.js 20 and in Firefox): the same arithmetic without global reads.
 */
import type * as ReferenceClient from 'amazon-cognito-identity-js';

function loadWithoutNavigator<T>(load: () => T): T {
  const navigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true, writable: true });
  try {
    return load();
  } finally {
    if (navigator) Object.defineProperty(globalThis, 'navigator', navigator);
    else delete (globalThis as { navigator?: unknown }).navigator;
  }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const referenceClient = loadWithoutNavigator(() => require('amazon-cognito-identity-js') as typeof ReferenceClient);

/** The package's internals, for comparing lambda/core/srp.ts value by value. */
export function referenceInternals<T>(path: 'lib/AuthenticationHelper' | 'lib/BigInteger'): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return loadWithoutNavigator(() => (require(`amazon-cognito-identity-js/${path}`) as { default: T }).default);
}
