import { listEnv, requiredEnv } from '../core/environment';

/** Everything the API functions read from their environment, read once per container. */
export const apiConfig = {
  /** Issuer shown by authenticator apps when the client does not name one. */
  totpIssuer: requiredEnv('TOTP_ISSUER'),
  /** Origins that get CORS headers; empty means same-origin only. */
  corsAllowedOrigins: listEnv('CORS_ALLOWED_ORIGINS'),
  /** Bodies are a few short strings; anything bigger is refused before parsing. */
  maxBodyBytes: 8192,
} as const;
