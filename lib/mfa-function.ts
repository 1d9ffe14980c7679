import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { loggingEnvironment } from '../contract/environment';
import { functionCode } from './bundling';
import type { LogLevel } from './config';

/** What every function of the stack shares, set once by the stack. */
export interface FunctionDefaults {
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export interface MfaFunctionProps {
  /** Path of the handler's TypeScript file, one of `functionEntries` (lib/bundling.ts); it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly defaults: FunctionDefaults;
  /** The function's settings, as its kind's codec in contract/environment.ts encodes them. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 10 seconds: well inside API Gateway's 29-second integration limit. */
  readonly timeout?: Duration;
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The one place that decides how a function of this service runs and is built:
 * Node.js 24 on arm64, bundled as lib/bundling.ts says, its own log group with
 * retention, and its own role that may only write to that log group. Anything
 * more a function needs is granted to `role` by the construct using it.
 */
export class MfaFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: MfaFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.defaults.logRetention,
      removalPolicy: props.defaults.removalPolicy,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${id}: writes its own logs, plus what its construct grants.`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      code: functionCode(scope, props.entry),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role,
      logGroup,
      environment: {
        ...loggingEnvironment.encode({ logLevel: props.defaults.logLevel, serviceName: id }),
        ...props.environment,
      },
    });
  }
}
