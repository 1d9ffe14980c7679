import type http from 'node:http';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ExtraRequestListener } from './api-adapter';
import type { LocalCognito } from './cognito-local';
import { BodyTooLarge, readBody } from './read-body';
import type { OutboxMessage } from './aws-endpoints';

/** The template's PasswordPolicy (AWS::Cognito::UserPool Policies.PasswordPolicy). */
export interface PasswordPolicy {
  readonly MinimumLength?: number;
  readonly RequireLowercase?: boolean;
  readonly RequireUppercase?: boolean;
  readonly RequireNumbers?: boolean;
  readonly RequireSymbols?: boolean;
}

export interface LocalRoutesOptions {
  readonly cognito: LocalCognito;
  readonly outbox: readonly OutboxMessage[];
  readonly passwordPolicy: PasswordPolicy | undefined;
  readonly playground: () => string;
  readonly playgroundScript: string;
}

/**
 * npm start's own routes, beside the stage on the Local API's origin and never
 * in the deployed stack (test/cdk/local-routes.test.ts holds the template to
 * that): POST /local/users makes a confirmed user as an administrator would,
 * GET /local/outbox lists what the service sent, /playground/ is the page.
 */
export function localRoutes(options: LocalRoutesOptions): ExtraRequestListener {
  const { cognito } = options;
  return async (request, url) => {
    const route = `${request.method ?? ''} ${url.pathname}`;
    if (!isLocalRoute(url.pathname)) return undefined;
    if (!fromThisMachine(request)) {
      return json(403, { name: 'ForbiddenException', message: 'The local routes answer only http://127.0.0.1 or localhost on this port.' });
    }
    switch (route) {
      case 'POST /local/users':
        return createUser(request, cognito, options.passwordPolicy);
      case 'GET /local/outbox':
        return json(200, options.outbox);
      case 'GET /':
      case 'GET /playground':
        return { statusCode: 302, headers: { Location: '/playground/' }, body: '' };
      case 'GET /playground/':
        return { statusCode: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: options.playground() };
      case 'GET /playground/playground.js':
        return { statusCode: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8' }, body: options.playgroundScript };
      default:
        return undefined;
    }
  };
}

const isLocalRoute = (path: string) => path === '/' || /^\/(local|playground)(\/|$)/.test(path);

/**
 * The outbox holds every code the service sent, and /local/users makes users
 * without a token: on 127.0.0.1 alone they are still in reach of a web page in
 * the developer's browser. A page on a name rebound to 127.0.0.1 (DNS
 * rebinding) sends its own name as Host, and a cross-site form POST sends its
 * own Origin; both are refused, so only this origin's playground and local
 * tools (which send no Origin) reach these routes.
 */
function fromThisMachine(request: http.IncomingMessage): boolean {
  const port = request.socket.localPort;
  const origins = [`127.0.0.1:${port}`, `localhost:${port}`];
  const { host, origin } = request.headers;
  return (
    host !== undefined && origins.includes(host) && (origin === undefined || origins.some((allowed) => origin === `http://${allowed}`))
  );
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

const badRequest = (message: string) => json(400, { name: 'BadRequestException', message });

/** E.164, as Cognito's phone_number attribute takes it. */
const phonePattern = /^\+[1-9][0-9]{6,14}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * What AdminSetUserPassword would refuse under the pool's policy; cognito-local
 * stores the policy but does not enforce it
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html#user-pool-settings-policies).
 */
function passwordProblem(password: string, policy: PasswordPolicy | undefined): string | undefined {
  if (password.length < (policy?.MinimumLength ?? 8)) return `Password must have at least ${policy?.MinimumLength ?? 8} characters.`;
  if (policy?.RequireLowercase && !/[a-z]/.test(password)) return 'Password must have a lowercase letter.';
  if (policy?.RequireUppercase && !/[A-Z]/.test(password)) return 'Password must have an uppercase letter.';
  if (policy?.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have a number.';
  if (policy?.RequireSymbols && !/[^A-Za-z0-9]/.test(password)) return 'Password must have a symbol.';
  return password.length > 256 ? 'Password must have at most 256 characters.' : undefined;
}

async function createUser(
  request: http.IncomingMessage,
  cognito: LocalCognito,
  policy: PasswordPolicy | undefined,
): Promise<APIGatewayProxyResult> {
  let input: unknown;
  try {
    // Far more than an email address, a password and a phone number need.
    input = JSON.parse((await readBody(request, 16 * 1024)).toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLarge) return json(413, { name: 'RequestTooLong', message: 'The body is over 16 KiB.' });
    return badRequest('The body must be JSON: { "email", "password", "phoneNumber"? }.');
  }
  const { email, password, phoneNumber } = (input ?? {}) as Record<string, unknown>;
  if (typeof email !== 'string' || !emailPattern.test(email)) return badRequest('email must be an email address.');
  // The email address is the Username here, and Cognito takes 1 to 128 characters for it
  // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html);
  // cognito-local takes any length.
  if (email.length > 128) return badRequest('email must have at most 128 characters.');
  if (typeof password !== 'string') return badRequest('password must be a string.');
  const problem = passwordProblem(password, policy);
  if (problem) return badRequest(problem);
  if (phoneNumber !== undefined && (typeof phoneNumber !== 'string' || !phonePattern.test(phoneNumber))) {
    return badRequest('phoneNumber must be in E.164 form, e.g. +447700900123.');
  }

  const attributes: AttributeType[] = [
    { Name: 'email', Value: email },
    { Name: 'email_verified', Value: 'true' },
    ...(phoneNumber === undefined
      ? []
      : [
          { Name: 'phone_number', Value: phoneNumber },
          { Name: 'phone_number_verified', Value: 'true' },
        ]),
  ];
  const client = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    // SUPPRESS: no invitation is sent (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html).
    const { User: user } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: cognito.userPoolId,
        Username: email,
        UserAttributes: attributes,
        MessageAction: 'SUPPRESS',
      }),
    );
    // Permanent: the user is CONFIRMED (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html).
    await client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: cognito.userPoolId, Username: email, Password: password, Permanent: true }),
    );
    return json(201, { username: user?.Username, email, ...(phoneNumber !== undefined && { phoneNumber }) });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    if (name === 'UsernameExistsException') return json(409, { name, message: 'A user with this email already exists.' });
    return json(400, { name, message: 'The local user pool refused the user.' });
  } finally {
    client.destroy();
  }
}
