import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { startLocalApi, type LocalApiRoute, type ProxyHandler } from '../local/api-adapter';
import { startCognitoFront, type FrontTriggers } from '../local/cognito-front';
import { startLocalCognito, type LocalAppClientOptions, type LocalPool } from '../local/cognito-local';
import type { Trigger } from '../local/custom-auth-loop';
import { createTable, startLocalDynamoDb } from '../local/dynalite';
import { startLocalKms } from '../local/kms';
import { startLocalAwsEndpoints } from '../local/aws-endpoints';
import { localRoutes, type PasswordPolicy } from '../local/local-routes';
import { buildPlayground } from '../local/playground';
import { readDeploymentTemplate, resolve as resolveValue, type LocalResources } from '../local/template';

/**
 * npm start: the service on this machine, from the functions as built for
 * deployment. It synthesizes into .local/cdk.out when that is missing or older
 * than the sources, reads the template, and runs every function's bundle
 * (asset.<hash>/index.mjs) with the environment the template gives it, on
 * local parts: cognito-local with the template's pool and clients, the
 * Cognito front (SRP, custom auth and native MFA, with the bundled triggers),
 * dynalite with the template's table, the KMS stand-in for the senders' key,
 * SES, SNS and SSM answered locally (local/aws-endpoints.ts), and the
 * API Gateway stand-in with the template's methods, stage and authorizer.
 *
 * Usage: npm start [-- --reset]. PORT (default 3000) is the API's port;
 * LOCAL_STATE_DIR (default .local/state) keeps users and table between runs.
 */
const repository = resolve(__dirname, '..');
const cloudAssembly = join(repository, '.local', 'cdk.out');
const sources = ['bin', 'lib', 'lambda', 'contract', 'cdk.json', 'package.json'];
/**
 * Context for the local synthesis: the default configuration allows no SMS country, which would make every
 * SMS enrolment fail; locally +1 and +44 numbers may enrol (nothing is sent, texts land in the outbox).
 */
const localContext = ['smsAllowedCountries=1,44'];
const region = 'us-east-1';
const accountId = '000000000000';

function newestSourceChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestSourceChange(join(path, entry))));
}

function isStale(): boolean {
  const manifest = join(cloudAssembly, 'manifest.json');
  if (!existsSync(manifest)) return true;
  const built = statSync(manifest).mtimeMs;
  return sources.some((source) => newestSourceChange(join(repository, source)) > built);
}

/** Whether the npm start that wrote this lock file still runs (one killed mid-synthesis leaves its lock behind). */
function lockHolderRuns(lock: string): boolean {
  try {
    process.kill(Number(readFileSync(lock, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

/** Synthesizes into a directory of its own, then swaps it in, so that a second npm start never reads half an assembly. */
async function ensureSynthesized(): Promise<void> {
  const lock = `${cloudAssembly}.lock`;
  mkdirSync(join(repository, '.local'), { recursive: true });
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      if (!lockHolderRuns(lock)) rmSync(lock, { force: true });
      else await new Promise((wake) => setTimeout(wake, 250)); // another npm start is synthesizing
    }
  }
  const building = `${cloudAssembly}.${process.pid}`;
  try {
    if (!isStale()) return;
    console.log('Synthesizing (cdk.out is missing or older than the sources)...');
    const context = localContext.flatMap((entry) => ['-c', entry]);
    execFileSync('npx', ['cdk', 'synth', '--quiet', '-o', building, ...context], {
      cwd: repository,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    rmSync(cloudAssembly, { recursive: true, force: true });
    renameSync(building, cloudAssembly);
  } finally {
    rmSync(building, { recursive: true, force: true });
    rmSync(lock, { force: true });
  }
}

/** What npm start keeps in its state directory; --reset deletes nothing else. */
const stateEntries = new Set(['pool.json', 'cognito', 'dynamodb']);

/** Removes a state directory only when it holds npm start's state alone: LOCAL_STATE_DIR pointed at the wrong place must not cost its contents. */
function resetState(directory: string): void {
  if (!existsSync(directory)) return;
  const foreign = readdirSync(directory).filter((entry) => !stateEntries.has(entry));
  if (foreign.length > 0) {
    throw new Error(
      `--reset refused: ${directory} holds more than npm start's state (${foreign.slice(0, 3).join(', ')}); check LOCAL_STATE_DIR`,
    );
  }
  rmSync(directory, { recursive: true, force: true });
}

function stackTemplateName(): string {
  const manifest = JSON.parse(readFileSync(join(cloudAssembly, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string }>;
  };
  const stacks = Object.entries(manifest.artifacts).filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack');
  if (stacks.length !== 1) throw new Error(`The cloud assembly has ${stacks.length} stacks; npm start runs exactly one`);
  return (stacks[0] as [string, unknown])[0];
}

async function main(): Promise<void> {
  const reset = process.argv.includes('--reset');
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT ${process.env.PORT} is not a port number`);
  const stateDirectory = resolve(process.env.LOCAL_STATE_DIR ?? join(repository, '.local', 'state'));
  if (reset) resetState(stateDirectory);
  mkdirSync(join(stateDirectory, 'cognito'), { recursive: true });

  await ensureSynthesized();
  const stackName = stackTemplateName();
  const template = readDeploymentTemplate(cloudAssembly, stackName);
  const started = Date.now();

  const pool = template.userPool.properties;
  const keyArn = `arn:aws:kms:${region}:${accountId}:key/00000000-0000-4000-8000-000000000000`;
  const tableName = `${stackName}-${template.table.logicalId}`;
  const clientOptions: LocalAppClientOptions[] = template.clients.map(({ logicalId, properties }) => {
    const { UserPoolId: _pool, SupportedIdentityProviders: _providers, AllowedOAuthFlowsUserPoolClient: _oauth, ...settings } = properties;
    return { ...settings, ClientName: logicalId };
  });
  const poolSettings = {
    mfaConfiguration: pool.MfaConfiguration as 'OFF' | 'ON' | 'OPTIONAL',
    autoVerifiedAttributes: (pool.AutoVerifiedAttributes ?? []) as ('email' | 'phone_number')[],
    customAttributes: ((pool.Schema ?? []) as { Name: string }[]).map((attribute) => attribute.Name),
    passwordPolicy: (pool.Policies as { PasswordPolicy?: PasswordPolicy } | undefined)?.PasswordPolicy,
    appClients: clientOptions,
  };

  // A pool made by an earlier run is used again only while the template's pool and clients are unchanged.
  const fingerprint = createHash('sha256').update(JSON.stringify(poolSettings)).digest('hex');
  const poolFile = join(stateDirectory, 'pool.json');
  const saved = existsSync(poolFile) ? (JSON.parse(readFileSync(poolFile, 'utf8')) as { fingerprint: string; pool: LocalPool }) : undefined;
  if (saved && saved.fingerprint !== fingerprint) {
    throw new Error(`The template's user pool or clients changed since ${stateDirectory} was made: run npm start -- --reset`);
  }

  const parameterValues = new Map<string, string>();
  const aws = await startLocalAwsEndpoints(parameterValues);
  const kms = await startLocalKms([keyArn]);
  const dynamoDb = await startLocalDynamoDb({ path: join(stateDirectory, 'dynamodb') });

  // Every bundle's SDK clients reach the local parts through these (set before the first import).
  // The developer's own endpoint overrides and AWS config files would send the bundles' calls
  // elsewhere than the local parts: none of them reach the functions.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('AWS_ENDPOINT_URL') && name !== 'AWS_CONFIG_FILE' && name !== 'AWS_SHARED_CREDENTIALS_FILE',
    ),
  );
  const baseEnvironment: NodeJS.ProcessEnv = {
    ...inherited,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_ENDPOINT_URL_SES: aws.endpoint,
    AWS_ENDPOINT_URL_SNS: aws.endpoint,
    AWS_ENDPOINT_URL_SSM: aws.endpoint,
  };
  delete baseEnvironment.AWS_PROFILE;
  delete baseEnvironment.AWS_SESSION_TOKEN;
  process.env = { ...baseEnvironment };

  // The bundles each function runs, by logical id, imported once their environment is known.
  const handlers = new Map<string, unknown>();
  const handlerOf = <T>(logicalId: string | undefined): T => {
    const handler = logicalId === undefined ? undefined : handlers.get(logicalId);
    if (typeof handler !== 'function') throw new Error(`The template wires no bundled function ${logicalId}`);
    return handler as T;
  };
  const lambdaConfig = (pool.LambdaConfig ?? {}) as Record<string, unknown>;
  const triggerId = (name: string): string | undefined => {
    const value = lambdaConfig[name] as { 'Fn::GetAtt'?: [string, string]; LambdaArn?: { 'Fn::GetAtt'?: [string, string] } } | undefined;
    return (value?.['Fn::GetAtt'] ?? value?.LambdaArn?.['Fn::GetAtt'])?.[0];
  };

  const [cognito] = await Promise.all([
    startLocalCognito({
      ...poolSettings,
      dataDirectory: join(stateDirectory, 'cognito'),
      ...(saved && { existingPool: saved.pool }),
      // The senders are called only once a message is sent, after every bundle is imported below.
      senders: {
        sms: (event) => handlerOf<(event: unknown) => Promise<unknown>>(triggerId('CustomSMSSender'))(event),
        email: (event) => handlerOf<(event: unknown) => Promise<unknown>>(triggerId('CustomEmailSender'))(event),
        keyArn,
        kmsEndpoint: kms.endpoint,
        sent: () => aws.outbox.map((message) => ({ medium: message.channel, to: message.to, text: message.text })),
      },
    }),
    createTable(dynamoDb.endpoint, {
      tableName,
      partitionKey: keyOf(template.table.properties, 'HASH'),
      sortKey: keyOf(template.table.properties, 'RANGE'),
    }).catch((error: unknown) => {
      // Kept from an earlier run (dynalite's LevelDB directory).
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }),
  ]);
  writeFileSync(
    poolFile,
    JSON.stringify({ fingerprint, pool: { userPoolId: cognito.userPoolId, clientId: cognito.clientId, appClients: cognito.appClients } }),
  );

  const local: LocalResources = {
    refs: {
      'AWS::Partition': 'aws',
      'AWS::AccountId': accountId,
      'AWS::Region': region,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stackName,
      [template.userPool.logicalId]: cognito.userPoolId,
      [template.table.logicalId]: tableName,
      ...Object.fromEntries(template.clients.map((client, index) => [client.logicalId, cognito.appClients[index]?.clientId ?? ''])),
      ...Object.fromEntries(template.parameters.map((parameter) => [parameter.logicalId, parameter.name])),
    },
    attributes: {
      [template.keyId]: { Arn: keyArn },
      [template.userPool.logicalId]: { Arn: `arn:aws:cognito-idp:${region}:${accountId}:userpool/${cognito.userPoolId}` },
      [template.table.logicalId]: { Arn: `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}` },
    },
  };
  for (const parameter of template.parameters) parameterValues.set(parameter.name, resolveValue(parameter.value, local));

  // All functions share this one process, so what Lambda would keep apart is not modelled: each bundle is its own
  // module graph (its SDK clients, caches and decoded config are its own), but process.env is shared, so a
  // bundle that read its environment after import would see only the common variables (each one decodes its
  // config at import, below, with its own); and there are no per-function timeouts, memory limits, concurrency,
  // cold starts, IAM permissions or separate /tmp.
  for (const fn of template.functions) {
    process.env = { ...baseEnvironment };
    for (const [name, value] of Object.entries(fn.environment)) process.env[name] = resolveValue(value, local);
    process.env.AWS_LAMBDA_FUNCTION_NAME = fn.logicalId;
    const bundle = (await import(pathToFileURL(join(fn.assetDirectory, 'index.mjs')).href)) as { handler?: unknown };
    handlers.set(fn.logicalId, bundle.handler);
  }
  process.env = { ...baseEnvironment };

  const triggers: FrontTriggers | undefined =
    triggerId('DefineAuthChallenge') === undefined
      ? undefined
      : {
          define: handlerOf(triggerId('DefineAuthChallenge')),
          create: handlerOf(triggerId('CreateAuthChallenge')),
          verify: handlerOf(triggerId('VerifyAuthChallengeResponse')),
        };
  const preTokenId = triggerId('PreTokenGeneration');
  const front = await startCognitoFront({
    cognito,
    clients: cognito.appClients,
    triggers,
    preTokenGeneration: preTokenId === undefined ? undefined : handlerOf<Trigger<PreTokenGenerationTriggerEvent>>(preTokenId),
    mfaConfiguration: poolSettings.mfaConfiguration,
  });
  baseEnvironment.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = front.endpoint;
  process.env = { ...baseEnvironment };

  const routes: LocalApiRoute[] = template.routes.map((route) => ({
    method: route.method,
    path: route.path,
    functionName: route.functionId,
    scopes: route.scopes,
    ...(route.requestModel && { requestModel: route.requestModel }),
    handler: () => Promise.resolve(handlerOf<ProxyHandler>(route.functionId)),
  }));
  const apiFunction = template.functions.find((fn) => fn.logicalId === template.routes[0]?.functionId);
  const corsAllowedOrigins = resolveValue(apiFunction?.environment.CORS_ALLOWED_ORIGINS ?? '', local)
    .split(',')
    .filter((origin) => origin.length > 0);
  const playground = await buildPlayground(repository);
  let apiUrl = '';
  const api = await startLocalApi(`${cognito.endpoint}/${cognito.userPoolId}`, {
    routes,
    stagePath: template.stagePath,
    corsAllowedOrigins,
    port,
    extra: localRoutes({
      cognito,
      outbox: aws.outbox,
      passwordPolicy: poolSettings.passwordPolicy,
      playground: () => playground.page(apiUrl),
      playgroundScript: playground.script,
    }),
  });
  apiUrl = api.url;
  const origin = new URL(api.url).origin;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await api.stop();
      await front.stop();
      await Promise.all([cognito.stop(), dynamoDb.stop(), kms.stop(), aws.stop()]);
    })()
      .catch((error: unknown) => console.error(`Stopping failed: ${error instanceof Error ? error.message : 'unknown error'}`))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  console.log(`Started ${template.functions.length} functions of ${stackName} in ${Date.now() - started} ms (state: ${stateDirectory})`);
  console.log(`Local API: ${api.url}`);
  console.log(`Playground: ${origin}/playground/`);
}

function keyOf(table: Record<string, unknown>, keyType: 'HASH' | 'RANGE'): string {
  const key = (table.KeySchema as { AttributeName: string; KeyType: string }[]).find((element) => element.KeyType === keyType);
  if (!key) throw new Error(`The template's table has no ${keyType} key`);
  return key.AttributeName;
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
