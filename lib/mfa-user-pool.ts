import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolClient,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolEmail,
  type AuthFlow,
} from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { emailMfaAttributeName } from '../contract/user-pool';
import { Construct } from 'constructs';
import type { AppClientSettings } from './app-client-settings';
import type { MfaMode } from './config';

export interface MfaUserPoolProps {
  /** Named in the SMS texts users receive. */
  readonly appName: string;
  readonly mfa: MfaMode;
  readonly selfSignUp: boolean;
  /** RETAIN also turns on Cognito's deletion protection. */
  readonly removalPolicy: RemovalPolicy;
  /** Sign-in flows and token lifetimes of both app clients (lib/app-client-settings.ts). */
  readonly clients: AppClientSettings;
  /** Sender of the pool's own emails (verification, password reset), through SES in the stack's region. */
  readonly emailFrom: string;
  /** The key Cognito encrypts codes under for the custom sender triggers (lib/pool-senders.ts), which the stack always adds. */
  readonly customSenderKmsKey: IKey;
}

const mfaModes: Readonly<Record<MfaMode, Mfa>> = { OFF: Mfa.OFF, OPTIONAL: Mfa.OPTIONAL, REQUIRED: Mfa.REQUIRED };

/**
 * The Cognito user pool with native TOTP and SMS MFA, and its two app clients:
 * `publicClient` for browsers and mobile apps (no secret; SRP, so the password
 * never crosses the wire) and `serverClient`, a confidential client for the
 * API's own sign-in calls. Neither client can read or write the email MFA mark.
 */
export class MfaUserPool extends Construct {
  readonly userPool: UserPool;
  readonly publicClient: UserPoolClient;
  readonly serverClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: MfaUserPoolProps) {
    super(scope, id);
    const { authSessionMinutes } = props.clients;
    if (!Number.isInteger(authSessionMinutes) || authSessionMinutes < 3 || authSessionMinutes > 10) {
      throw new Error(`MfaUserPool: clients.authSessionMinutes must be a whole number from 3 to 10; got ${authSessionMinutes}.`);
    }
    if (props.appName.length === 0 || props.appName.length > 40) {
      throw new Error(`MfaUserPool: appName must be 1 to 40 characters so the SMS text fits one message; got ${props.appName.length}.`);
    }
    const retain = props.removalPolicy === RemovalPolicy.RETAIN;

    this.userPool = new UserPool(this, 'UserPool', {
      // No paid feature plan: every factor here is native (TOTP, SMS) or ours.
      featurePlan: FeaturePlan.LITE,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: props.selfSignUp,
      autoVerify: { email: true, phone: true },
      // A new email or phone number takes effect only once verified, so a stolen
      // access token cannot redirect codes to an attacker's phone or inbox.
      keepOriginal: { email: true, phone: true },
      customAttributes: {
        // The email MFA mark (lambda/core/email-mfa-mark.ts): JSON of state and address.
        [emailMfaAttributeName]: new StringAttribute({ mutable: true, maxLen: 2048 }),
      },
      mfa: mfaModes[props.mfa],
      mfaSecondFactor: { sms: true, otp: true },
      // Templates Cognito no longer uses: the custom senders write every message (lambda/core/sms-messages.ts).
      mfaMessage: `${props.appName} sign-in code: {####}`,
      userVerification: { smsMessage: `${props.appName} verification code: {####}` },
      customSenderKmsKey: props.customSenderKmsKey,
      // NIST SP 800-63B-4 3.1.1.2: length, not composition rules; 15 characters for a
      // password that may be a user's only factor, 8 when MFA is required.
      passwordPolicy: {
        minLength: props.mfa === 'REQUIRED' ? 8 : 15,
        requireLowercase: false,
        requireUppercase: false,
        requireDigits: false,
        requireSymbols: false,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Cognito sends no email itself with the custom email sender on (lib/pool-senders.ts), so this
      // is for the pool's settings, not its messages: kept so that no email can ever go out through
      // Cognito's shared default sender. Whether Cognito would fall back to it is not documented.
      // Not Cognito's default sender: its small daily cap is the pool's, so
      // unauthenticated ForgotPassword calls could use it up for everyone
      // (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html).
      // Through SES, Cognito uses its service-linked role, so the identity needs no
      // sending authorization policy
      // (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-ses-authorization-to-send-email.html).
      email: UserPoolEmail.withSES({ fromEmail: props.emailFrom, fromName: props.appName, sesRegion: Stack.of(this).region }),
      deletionProtection: retain,
      removalPolicy: props.removalPolicy,
    });

    // The email MFA mark is readable so that an Amplify app (whose fetchMFAPreference cannot
    // see this factor) can tell from the ID token or fetchUserAttributes that the user has it;
    // never writable: a token could otherwise switch the factor off or redirect its codes.
    const readable = new ClientAttributes()
      .withStandardAttributes({
        email: true,
        emailVerified: true,
        phoneNumber: true,
        phoneNumberVerified: true,
        fullname: true,
      })
      .withCustomAttributes(emailMfaAttributeName);
    // Neither phone_number nor email: one decides where SMS codes go, the other
    // where password resets and security notices go. A stolen access token could
    // otherwise move them, unnoticed and without a recent sign-in, and take the
    // account over; only the step-up checked API (POST /mfa/sms/setup) or an
    // administrator changes them.
    const writable = new ClientAttributes().withStandardAttributes({ fullname: true });
    const sharedClientSettings = {
      userPool: this.userPool,
      preventUserExistenceErrors: true,
      authSessionValidity: Duration.minutes(authSessionMinutes),
      accessTokenValidity: Duration.hours(props.clients.accessTokenHours),
      idTokenValidity: Duration.hours(props.clients.idTokenHours),
      refreshTokenValidity: Duration.days(props.clients.refreshTokenDays),
      enableTokenRevocation: true,
      disableOAuth: true,
      readAttributes: readable,
      writeAttributes: writable,
    };
    // CDK adds ALLOW_REFRESH_TOKEN_AUTH itself.
    const authFlows = (flows: readonly string[]): AuthFlow => ({
      custom: flows.includes('ALLOW_CUSTOM_AUTH'),
      userSrp: flows.includes('ALLOW_USER_SRP_AUTH'),
    });
    this.publicClient = new UserPoolClient(this, 'PublicClient', {
      ...sharedClientSettings,
      generateSecret: false,
      authFlows: authFlows(props.clients.explicitAuthFlows),
    });
    this.serverClient = new UserPoolClient(this, 'ServerClient', {
      ...sharedClientSettings,
      generateSecret: true,
      authFlows: authFlows(props.clients.serverExplicitAuthFlows),
    });

    this.node.addValidation({ validate: () => this.clientsWithRefreshTokenRotation() });

    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG1',
        reason:
          'Passwords follow NIST SP 800-63B-4 section 3.1.1.2: a minimum length (15, or 8 when MFA is required) and no composition rules, which it forbids.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason:
          'Threat protection (advanced security) needs the paid Plus feature plan; this stack runs on the Lite plan and enforces MFA itself.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason: 'The Plus feature plan is a paid upgrade; no factor of this service needs it.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The SMS role (kept although the custom SMS sender now sends every text: the guide does not say SMS MFA works without an SMS configuration): sns:Publish to phone numbers has no ARN, so "*" is the documented policy; the trust policy pins the external ID.',
      },
    );
    if (props.mfa !== 'REQUIRED') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is OPTIONAL by default so users can enrol through the API after their first sign-in; deploy with -c mfa=REQUIRED to require it.',
      });
    }
  }
  /**
   * Step-up (lambda/core/step-up.ts) trusts the access token's `auth_time` as
   * the time of the last password sign-in. With refresh token rotation on,
   * Cognito is reported to move `auth_time` on refresh
   * (https://github.com/authts/oidc-client-ts/issues/2107, confirmed by AWS
   * support there), so a refresh token alone would pass step-up. Every app
   * client of this pool in the stack, ours or added later, must keep it off.
   */
  private clientsWithRefreshTokenRotation(): string[] {
    const stack = Stack.of(this);
    const poolId = JSON.stringify(stack.resolve(this.userPool.userPoolId));
    return stack.node
      .findAll()
      .filter((node): node is CfnUserPoolClient => node instanceof CfnUserPoolClient)
      .filter((client) => JSON.stringify(stack.resolve(client.userPoolId)) === poolId)
      .filter((client) => {
        // The L1 property, or CloudFormation's own shape where an override or IResolvable set it.
        const rotation = stack.resolve(client.refreshTokenRotation) as { feature?: unknown; Feature?: unknown } | undefined;
        return rotation !== undefined && (rotation.feature ?? rotation.Feature) !== 'DISABLED';
      })
      .map(
        (client) =>
          `App client ${client.node.path} enables refresh token rotation; step-up trusts auth_time, which Cognito is reported to move on refresh with rotation on (oidc-client-ts issue 2107). Leave refreshTokenRotationGracePeriod unset and RefreshTokenRotation off.`,
      );
  }
}
