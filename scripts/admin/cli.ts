import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { contextKeys } from '../../lib/config';
import { auditLogTo } from './audit-log';
import { confirm, type Terminal } from './confirm';
import { AdminRefusal, UsageError } from './errors';
import { resetMfa } from './reset-mfa';
import { locateService, locationSources, type LocationPart, type ServiceLocation } from './stack-outputs';
import { formatStatus, readStatus } from './status';
import { unlock } from './unlock';
import { findUser } from './users';

/**
 * `npm run admin -- <command> <user> [options]`: the operators' tools, run on the
 * operator's machine with the operator's AWS credentials (the SDK's default
 * chain: environment, profile, SSO...). Every AWS client is made by
 * `clients`, so that a test can point them at the local emulators.
 */
export interface AdminClients {
  readonly cognito: CognitoIdentityProviderClient;
  readonly table: DynamoDBDocumentClient;
  readonly ses: SESClient;
  readonly cloudFormation: CloudFormationClient;
  destroy(): void;
}

export interface AdminIo {
  /** What the command did, for the operator: stdout. */
  readonly print: (line: string) => void;
  /** Errors and the audit lines, one JSON object each: stderr. */
  readonly log: (line: string) => void;
  readonly terminal: Terminal;
}

export interface AdminDependencies {
  readonly io: AdminIo;
  clients(region: string | undefined): AdminClients;
  /** Epoch seconds. */
  readonly now: () => number;
}

export function sdkClients(region: string | undefined): AdminClients {
  const config = region ? { region } : {};
  const cognito = new CognitoIdentityProviderClient(config);
  const dynamoDb = new DynamoDBClient(config);
  const ses = new SESClient(config);
  const cloudFormation = new CloudFormationClient(config);
  return {
    cognito,
    table: DynamoDBDocumentClient.from(dynamoDb),
    ses,
    cloudFormation,
    destroy: () => [cognito, dynamoDb, ses, cloudFormation].forEach((client) => client.destroy()),
  };
}

const commands = {
  status: "the user's factors, failure budgets and recovery codes; changes nothing",
  unlock: 'clear both failure budgets (email codes, recovery codes)',
  'reset-mfa': 'turn off every factor, delete the recovery codes, sign out everywhere, notify the user',
} as const;

type CommandName = keyof typeof commands;

const defaultStackName = contextKeys.stackName.default;

export const usage = [
  'Usage: npm run admin -- <command> <user> [options]',
  '',
  'Commands:',
  ...Object.entries(commands).map(([name, summary]) => `  ${name.padEnd(10)} ${summary}`),
  '',
  '<user> is a user name, email address or sub.',
  '',
  'Options:',
  `  --stack <name>       the stack whose outputs locate the service (default ${defaultStackName})`,
  '  --region <region>    its region (default: the AWS SDK default, e.g. AWS_REGION or the profile)',
  ...Object.values(locationSources).map(
    ({ output, option }) => `  --${`${option} <value>`.padEnd(18)} instead of the stack output ${output}`,
  ),
  '  --yes, -y            do not ask for confirmation',
  '  --help, -h           this text',
  '',
  "AWS credentials are the SDK's default chain (AWS_PROFILE, environment, SSO...).",
].join('\n');

const options = {
  stack: { type: 'string' },
  region: { type: 'string' },
  'user-pool': { type: 'string' },
  table: { type: 'string' },
  'email-from': { type: 'string' },
  'app-name': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Invocation {
  readonly command: CommandName;
  readonly user: string;
  readonly stack: string;
  readonly region: string | undefined;
  readonly overrides: Partial<ServiceLocation>;
  readonly yes: boolean;
}

function parse(argv: readonly string[]): Invocation | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs names the unknown option or the missing value (its errors are Node's own, so not
    // always `instanceof Error` of this realm: read the message whatever the class).
    throw new UsageError(messageOf(error) ?? 'Unreadable command line.');
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [command, user, ...rest] = positionals;
  if (command === undefined) throw new UsageError('No command given.');
  if (!Object.hasOwn(commands, command)) throw new UsageError(`Unknown command "${command}".`);
  if (user === undefined || user.trim() === '') throw new UsageError(`${command} needs a <user>: a user name, email address or sub.`);
  if (rest.length > 0) throw new UsageError(`Unexpected arguments: ${rest.join(' ')}.`);
  return {
    command: command as CommandName,
    user: user.trim(),
    stack: values.stack ?? defaultStackName,
    region: values.region,
    overrides: {
      userPoolId: values['user-pool'],
      tableName: values.table,
      emailFrom: values['email-from'],
      appName: values['app-name'],
    },
    yes: values.yes ?? false,
  };
}

function messageOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : undefined;
}

/** Runs one command; the exit code: 0 done, 1 refused or failed, 2 a wrong command line. Never throws. */
export async function runAdmin(argv: readonly string[], dependencies: AdminDependencies): Promise<number> {
  const { io } = dependencies;
  let clients: AdminClients | undefined;
  try {
    const invocation = parse(argv);
    if (invocation === 'help') {
      io.print(usage);
      return 0;
    }
    clients = dependencies.clients(invocation.region);
    return await run(invocation, clients, dependencies);
  } catch (error) {
    if (error instanceof UsageError) {
      io.log(`${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof AdminRefusal) {
      io.log(error.message);
      return 1;
    }
    if (messageOf(error) === 'Region is missing') {
      io.log('No AWS region: pass --region <region>, or set AWS_REGION or a region in your AWS profile.');
      return 1;
    }
    // An AWS refusal (AccessDenied, expired credentials, throttling...): its name and message, no stack trace.
    const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : 'Error';
    io.log(`Failed: ${name}: ${messageOf(error) ?? String(error)}`);
    return 1;
  } finally {
    clients?.destroy();
  }
}

async function run(invocation: Invocation, clients: AdminClients, { io, now }: AdminDependencies): Promise<number> {
  const { command } = invocation;
  const audit = auditLogTo(io.log, command);
  /** The parts of the service the command needs (only a reset sends a notice, so only it needs the sender), and the user. */
  const target = async <Part extends LocationPart>(parts: readonly ('userPoolId' | Part)[]) => {
    const location = await locateService(clients.cloudFormation, invocation.stack, parts, invocation.overrides);
    const user = await findUser(clients.cognito, location.userPoolId, invocation.user);
    return { location, user, who: `${user.email ?? user.username} (sub ${user.sub})` };
  };

  if (command === 'status') {
    const { location, user } = await target(['userPoolId', 'tableName']);
    const status = await readStatus(clients.table, location.tableName, user, now());
    audit('status-read', { sub: user.sub, userPoolId: location.userPoolId });
    for (const line of formatStatus(status)) io.print(line);
    return 0;
  }
  if (command === 'unlock') {
    const { location, user, who } = await target(['userPoolId', 'tableName']);
    await confirm(io.terminal, { kind: 'yes-no', question: `Clear the failure budgets of ${who}?` }, invocation.yes);
    for (const line of await unlock(clients.table, location.tableName, user, audit)) io.print(line);
    return 0;
  }
  const { location, user, who } = await target(['userPoolId', 'tableName', 'emailFrom', 'appName']);
  await confirm(
    io.terminal,
    {
      kind: 'type-name',
      what: `This turns off every sign-in factor of ${who}, deletes their recovery codes and signs them out on every device.`,
      name: user.email ?? user.username,
    },
    invocation.yes,
  );
  const outcome = await resetMfa(clients, location, user, audit);
  for (const line of outcome.lines) io.print(line);
  return outcome.notified ? 0 : 1;
}
