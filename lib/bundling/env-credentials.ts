import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the function bundles
 * (an esbuild alias, lib/bundling.ts): every SDK client imports its
 * `defaultProvider` when no credentials are passed to it. The default chain
 * tries environment variables, then SSO, profile files, credential processes,
 * web identity tokens, and the ECS and EC2 metadata endpoints; with its nested
 * STS, SSO and SSO-OIDC clients it is the largest piece of each bundle.
 *
 * Lambda gives a function its role's credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which is the chain's first
 * link and the only one kept: on Lambda nothing is lost. What is lost is every
 * other source, so a bundle run anywhere without those variables fails on its
 * first AWS call with "Unable to find environment variable credentials"; and
 * AWS_PROFILE, which the default chain lets override the variables, is
 * ignored. The bare twins (scripts/bare-twins) and the tests, which run the
 * handlers unbundled, keep the default chain.
 */
export const defaultProvider: typeof import('@aws-sdk/credential-provider-node').defaultProvider = (init = {}) => fromEnv(init);
