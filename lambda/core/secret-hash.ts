import { createHmac } from 'node:crypto';

/** Cognito's SECRET_HASH for a client with a secret: Base64(HMAC-SHA256(secret, username + clientId)). */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(`${username}${clientId}`, 'utf8').digest('base64');
}
