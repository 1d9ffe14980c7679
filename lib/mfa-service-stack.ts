import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { MfaServiceConfig } from './config';
import { MfaApi } from './mfa-api';
import { MfaUserPool } from './mfa-user-pool';
import { apiRoutes } from './routes';

export interface MfaServiceStackProps extends StackProps {
  readonly config: MfaServiceConfig;
}

/** The whole service: the user pool with its clients, and the MFA API in front of it. */
export class MfaServiceStack extends Stack {
  readonly users: MfaUserPool;
  readonly api: MfaApi;

  constructor(scope: Construct, id: string, props: MfaServiceStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.users = new MfaUserPool(this, 'Users', {
      appName: config.appName,
      mfa: config.mfa,
      selfSignUp: config.selfSignUp,
      removalPolicy,
    });
    this.api = new MfaApi(this, 'Api', {
      userPool: this.users.userPool,
      routes: apiRoutes,
      environment: {
        TOTP_ISSUER: config.appName,
        CORS_ALLOWED_ORIGINS: config.corsAllowOrigins.join(','),
      },
      functionDefaults: { logLevel: config.logLevel, logRetention: config.logRetention, removalPolicy },
      corsAllowOrigins: config.corsAllowOrigins,
      throttle: config.apiThrottle,
      codeThrottle: config.codeThrottle,
    });

    new CfnOutput(this, 'Region', { value: this.region });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'PublicClientId', {
      value: this.users.publicClient.userPoolClientId,
      description: 'App client for browsers and mobile apps (no secret, SRP sign-in).',
    });
    new CfnOutput(this, 'ServerClientId', {
      value: this.users.serverClient.userPoolClientId,
      description: "Confidential app client for the API's own sign-in calls.",
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });
    // RestApi adds an unnamed duplicate of ApiUrl; one stable output name is enough.
    this.api.restApi.node.tryRemoveChild('Endpoint');
  }
}
