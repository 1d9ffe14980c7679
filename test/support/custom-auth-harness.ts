import { randomUUID } from 'node:crypto';
import type {
  Context,
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';

/**
 * Drives the three custom-auth challenge triggers (Define, Create, Verify) through
 * Cognito's custom authentication loop, so trigger tests can run a whole sign-in
 * without AWS. It models an app client with PreventUserExistenceErrors ENABLED
 * and a client that signs in the way Amplify's CUSTOM_WITH_SRP / CUSTOM_WITHOUT_SRP
 * do. Sources are cited where they decide a modelling choice; see also
 * test/unit/custom-auth-harness.test.ts.
 *
 * Limits: Cognito loops until Define issues tokens or fails; each session string is
 * single-use and expires after AuthSessionValidity (3 to 15 minutes, default 3), which the
 * harness does not model (no clock). No documented cap on the number of round trips was
 * found, and the harness imposes none (every round needs an answer() from the test).
 * Not modelled: the SRP maths, native MFA code checks, device challenges, the lockout after
 * failed attempts, and the other triggers (pre-authentication, pre token generation...).
 */

export type SessionEntry = DefineAuthChallengeTriggerEvent['request']['session'][number];
export type NativeMfa = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA';
type StringMap = Record<string, string>;

/** A trigger as the harness calls it; `(event) => Promise<event>` handlers and Middy handlers fit too. */
export type Trigger<E> = (event: E, context: Context) => Promise<E>;

export interface HarnessUser {
  /** The user's actual user name, as Cognito puts it in `userName`. */
  username: string;
  /** Passed verbatim as `userAttributes` (real Cognito adds `sub`, `cognito:user_status` and the like). */
  attributes: StringMap;
  password: string;
  /** Cognito's own MFA factors the user has enabled. */
  nativeMfa?: NativeMfa[];
  /** With several factors and none preferred, Cognito asks SELECT_MFA_TYPE (amplify-js#13123). */
  preferredMfa?: NativeMfa;
}

export interface HarnessOptions {
  define: Trigger<DefineAuthChallengeTriggerEvent>;
  create: Trigger<CreateAuthChallengeTriggerEvent>;
  verify: Trigger<VerifyAuthChallengeResponseTriggerEvent>;
  /** Looks a user up by the name the client sent; undefined means `userNotFound: true`. */
  users: (username: string) => HarnessUser | undefined;
  userPoolId?: string;
  region?: string;
  /**
   * Models the reported behaviour (default true): after a successful PASSWORD_VERIFIER a
   * user with native MFA gets Cognito's own MFA challenge and Define is not called again.
   * Set false to check a Define trigger fails safe if Cognito ever did call it.
   */
  nativeMfaTakesOverAfterPassword?: boolean;
}

export interface SignInInput {
  username: string;
  /** Required with `srp`, checked at PASSWORD_VERIFIER; not allowed without `srp`. */
  password?: string;
  /** true models CUSTOM_WITH_SRP (InitiateAuth CUSTOM_AUTH with SRP_A), false CUSTOM_WITHOUT_SRP. */
  srp: boolean;
  clientId: string;
  /**
   * Sent with InitiateAuth and with the PASSWORD_VERIFIER response, as Amplify's signIn does
   * (amplify-js signInHelpers.ts, handleCustomSRPAuthFlow). Cognito does not pass InitiateAuth's
   * ClientMetadata to Define or Create (InitiateAuth API reference, ClientMetadata), only
   * RespondToAuthChallenge's; the harness does the same.
   */
  clientMetadata?: StringMap;
}

export type SignInStep =
  | { readonly kind: 'CUSTOM_CHALLENGE'; readonly publicChallengeParameters: StringMap }
  | { readonly kind: 'NATIVE_MFA'; readonly challengeName: NativeMfa | 'SELECT_MFA_TYPE' }
  | { readonly kind: 'TOKENS' }
  /** Cognito's NotAuthorizedException. */
  | { readonly kind: 'FAILED' };

export interface TriggerEvents {
  define: DefineAuthChallengeTriggerEvent;
  create: CreateAuthChallengeTriggerEvent;
  verify: VerifyAuthChallengeResponseTriggerEvent;
}
export type TriggerName = keyof TriggerEvents;
export type TriggerEvent = TriggerEvents[TriggerName];
/** One invocation: the event as sent, and the response as returned (undefined if the trigger threw). */
export type TriggerCall = {
  [K in TriggerName]: {
    readonly trigger: K;
    readonly event: TriggerEvents[K];
    response?: TriggerEvents[K]['response'];
  };
}[TriggerName];

export interface SignIn {
  readonly step: SignInStep;
  /** The session array as Cognito holds it now (a copy). */
  readonly session: readonly SessionEntry[];
  readonly triggerCalls: readonly TriggerCall[];
  /** The events as sent, e.g. for `secrets.scan(signIn.triggerEvents.map((e) => JSON.stringify(e)))`. */
  readonly triggerEvents: readonly TriggerEvent[];
  /** The events sent to one trigger, typed. */
  eventsOf<K extends TriggerName>(trigger: K): TriggerEvents[K][];
  /** RespondToAuthChallenge CUSTOM_CHALLENGE with ANSWER; the session is single-use. */
  answer(challengeAnswer: string, options?: { clientMetadata?: StringMap }): Promise<SignInStep>;
}

/** A trigger returned something Cognito could not act on; the message says what. */
export class InvalidTriggerResponseError extends Error {
  constructor(
    readonly trigger: TriggerName,
    message: string,
  ) {
    super(`${trigger} trigger: ${message}`);
    this.name = 'InvalidTriggerResponseError';
  }
}

export class CustomAuthHarness {
  /** Every invocation of every sign-in, including those whose startSignIn rejected. */
  readonly triggerCalls: TriggerCall[] = [];

  constructor(private readonly options: HarnessOptions) {}

  /** InitiateAuth CUSTOM_AUTH, plus the PASSWORD_VERIFIER response when Define asks for it. */
  async startSignIn(input: SignInInput): Promise<SignIn> {
    if (input.srp && input.password === undefined) throw new Error('srp: true needs a password.');
    if (!input.srp && input.password !== undefined) throw new Error('A password is only sent with srp: true.');
    const flow = new SignInFlow(this.options, input, this.triggerCalls);
    await flow.start();
    return flow;
  }
}

// Names the Define docs list for session entries; only the two below are modelled.
const documentedChallengeNames = [
  'CUSTOM_CHALLENGE',
  'SRP_A',
  'PASSWORD_VERIFIER',
  'SMS_MFA',
  'DEVICE_SRP_AUTH',
  'DEVICE_PASSWORD_VERIFIER',
  'ADMIN_NO_SRP_AUTH',
];

// Cognito sends JSON nulls where .d.ts files say `undefined`/`boolean`: a logged Define event has
// `response: { challengeName: null, issueTokens: null, failAuthentication: null }` and
// `challengeMetadata: null` in session entries (aws-amplify/aws-sdk-ios#3488, amplify-js#5834).
// Create and Verify responses are initialised to null by analogy (not confirmed).
const cognitoNull = null as never;

type DefineOutcome = 'TOKENS' | 'FAILED' | 'CUSTOM_CHALLENGE' | 'PASSWORD_VERIFIER';

class SignInFlow implements SignIn {
  private current: SignInStep | undefined;
  private ended = false;
  private busy = false;
  private readonly entries: SessionEntry[] = [];
  private readonly calls: TriggerCall[] = [];
  private readonly user: HarnessUser | undefined;
  private pending: { privateChallengeParameters: StringMap; challengeMetadata: string | undefined } | undefined;

  constructor(
    private readonly options: HarnessOptions,
    private readonly input: SignInInput,
    private readonly allCalls: TriggerCall[],
  ) {
    this.user = options.users(input.username);
  }

  get step(): SignInStep {
    if (!this.current) throw new Error('The sign-in has not started.');
    return this.current;
  }
  get session(): readonly SessionEntry[] {
    return copy(this.entries);
  }
  get triggerCalls(): readonly TriggerCall[] {
    return [...this.calls];
  }
  get triggerEvents(): readonly TriggerEvent[] {
    return this.calls.map((call) => call.event);
  }
  eventsOf<K extends TriggerName>(trigger: K): TriggerEvents[K][] {
    return this.calls.filter((call) => call.trigger === trigger).map((call) => call.event as TriggerEvents[K]);
  }

  async start(): Promise<void> {
    // "Your define auth challenge Lambda trigger is invoked with an initial session that contains
    // challengeName: SRP_A and challengeResult: true" (Define auth challenge trigger, developer guide).
    if (this.input.srp) this.record('SRP_A', true);
    await this.run(() => this.loop(undefined));
  }

  async answer(challengeAnswer: string, options: { clientMetadata?: StringMap } = {}): Promise<SignInStep> {
    if (this.current?.kind === 'NATIVE_MFA') {
      throw new Error('Cognito checks native MFA codes itself and calls no challenge trigger; the harness stops here.');
    }
    if (this.ended || this.busy || !this.pending) {
      // Each RespondToAuthChallenge consumes the session; a replay gets NotAuthorizedException
      // "Invalid session for the user" (re:Post QUXOn0iCq-TNavGxtuFc7DGA, amplify-js#13123).
      const step = this.current?.kind ?? 'none';
      throw new Error(`answer() is not possible now (step ${step}): the session was used or the sign-in ended.`);
    }
    const { privateChallengeParameters, challengeMetadata } = this.pending;
    this.pending = undefined;
    return this.run(async () => {
      const response = await this.invoke('verify', {
        ...this.common('VerifyAuthChallengeResponse_Authentication'),
        request: { ...this.request(options.clientMetadata), privateChallengeParameters, challengeAnswer },
        response: { answerCorrect: cognitoNull },
      });
      if (typeof response.answerCorrect !== 'boolean') {
        throw new InvalidTriggerResponseError('verify', 'answerCorrect must be a boolean.');
      }
      this.record('CUSTOM_CHALLENGE', response.answerCorrect, challengeMetadata);
      return this.loop(options.clientMetadata);
    });
  }

  /** Appends a session entry; Cognito sends challengeMetadata null when there is none. */
  private record(challengeName: SessionEntry['challengeName'], challengeResult: boolean, metadata?: string): void {
    this.entries.push({ challengeName, challengeResult, challengeMetadata: metadata ?? cognitoNull } as SessionEntry);
  }

  private async run(work: () => Promise<SignInStep>): Promise<SignInStep> {
    this.busy = true;
    try {
      this.current = await work();
      if (this.current.kind !== 'CUSTOM_CHALLENGE') this.ended = true;
      return this.current;
    } catch (error) {
      // A throwing trigger reaches the client as UserLambdaValidationException; the session is spent.
      this.ended = true;
      throw error;
    } finally {
      this.busy = false;
    }
  }

  /** Cognito runs the loop until Define issues tokens, fails, or a challenge goes back to the client. */
  private async loop(clientMetadata: StringMap | undefined): Promise<SignInStep> {
    for (;;) {
      const next = await this.define(clientMetadata);
      if (next === 'TOKENS' || next === 'FAILED') return { kind: next };
      if (next === 'CUSTOM_CHALLENGE') return this.create(clientMetadata);
      // PASSWORD_VERIFIER: the client answers it in its own RespondToAuthChallenge call.
      clientMetadata = this.input.clientMetadata;
      // With SRP an unknown user always fails the password proof (Managing user existence error
      // responses, developer guide). Real Cognito may answer a wrong password with NotAuthorizedException
      // directly; the harness appends a failed PASSWORD_VERIFIER and asks Define, so a correct Define
      // ends in FAILED either way and a Define that ignores challengeResult is caught.
      const passed = this.user !== undefined && this.input.password === this.user.password;
      this.record('PASSWORD_VERIFIER', passed);
      const mfa = this.user?.nativeMfa ?? [];
      if (passed && mfa.length > 0 && (this.options.nativeMfaTakesOverAfterPassword ?? true)) {
        // "If MFA is enabled for a user, it is handled automatically after the password is verified"
        // (User pool authentication flow, developer guide); Define is not called again and tokens follow
        // Cognito's own MFA step (amplify-js#3876, #9592; #12887: MFA depends on PASSWORD_VERIFIER).
        const preferred = this.user?.preferredMfa;
        if (mfa.length === 1) return { kind: 'NATIVE_MFA', challengeName: mfa[0]! };
        return { kind: 'NATIVE_MFA', challengeName: preferred && mfa.includes(preferred) ? preferred : 'SELECT_MFA_TYPE' };
      }
    }
  }

  private async define(clientMetadata: StringMap | undefined): Promise<DefineOutcome> {
    const response = await this.invoke('define', {
      ...this.common('DefineAuthChallenge_Authentication'),
      request: { ...this.request(clientMetadata), session: copy(this.entries) },
      response: { challengeName: cognitoNull, issueTokens: cognitoNull, failAuthentication: cognitoNull },
    });
    const fail = (message: string) => new InvalidTriggerResponseError('define', message);
    const { challengeName, issueTokens, failAuthentication } = response;
    for (const [name, value] of Object.entries({ issueTokens, failAuthentication })) {
      if (value !== null && value !== undefined && typeof value !== 'boolean') throw fail(`${name} must be a boolean.`);
    }
    if (issueTokens === true && failAuthentication === true) throw fail('issueTokens and failAuthentication are both true.');
    // Assumption: a terminal flag wins over a challengeName left in the response.
    if (issueTokens === true) return 'TOKENS';
    if (failAuthentication === true) return 'FAILED';
    if (typeof challengeName !== 'string' || challengeName === '') {
      throw fail('neither issueTokens nor failAuthentication is true, and no challengeName is given.');
    }
    if (challengeName === 'CUSTOM_CHALLENGE') return challengeName;
    if (challengeName === 'PASSWORD_VERIFIER') {
      if (!this.input.srp) {
        throw fail('PASSWORD_VERIFIER asked for, but the client did not start with SRP_A and cannot answer it.');
      }
      if (this.entries.some((entry) => entry.challengeName === 'PASSWORD_VERIFIER')) {
        throw fail('PASSWORD_VERIFIER asked for a second time; the harness does not model that.');
      }
      return challengeName;
    }
    if (documentedChallengeNames.includes(challengeName)) {
      throw fail(`challengeName ${challengeName} is not modelled by the harness.`);
    }
    const documented = documentedChallengeNames.join(', ');
    throw fail(`unknown challengeName ${JSON.stringify(challengeName)} (documented: ${documented}).`);
  }

  private async create(clientMetadata: StringMap | undefined): Promise<SignInStep> {
    const response = await this.invoke('create', {
      ...this.common('CreateAuthChallenge_Authentication'),
      request: { ...this.request(clientMetadata), challengeName: 'CUSTOM_CHALLENGE', session: copy(this.entries) },
      response: {
        publicChallengeParameters: cognitoNull,
        privateChallengeParameters: cognitoNull,
        challengeMetadata: cognitoNull,
      },
    });
    const { publicChallengeParameters, privateChallengeParameters, challengeMetadata } = response;
    const fail = (message: string) => new InvalidTriggerResponseError('create', message);
    if (!isStringMap(publicChallengeParameters)) throw fail('publicChallengeParameters must be an object of strings.');
    // Reported: an empty privateChallengeParameters makes Cognito fail the sign-in
    // (awsdocs/amazon-cognito-developer-guide#20, aws-samples/amazon-cognito-passwordless-auth#214).
    if (!isStringMap(privateChallengeParameters) || Object.keys(privateChallengeParameters).length === 0) {
      throw fail('privateChallengeParameters must be a non-empty object of strings.');
    }
    if (challengeMetadata !== null && challengeMetadata !== undefined && typeof challengeMetadata !== 'string') {
      throw fail('challengeMetadata must be a string.');
    }
    this.pending = { privateChallengeParameters, challengeMetadata: challengeMetadata ?? undefined };
    return { kind: 'CUSTOM_CHALLENGE', publicChallengeParameters: { ...publicChallengeParameters } };
  }

  private common<T extends string>(triggerSource: T) {
    return {
      version: '1',
      region: this.options.region ?? 'us-east-1',
      userPoolId: this.options.userPoolId ?? 'us-east-1_Harness1',
      userName: this.user?.username ?? this.input.username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: this.input.clientId },
      triggerSource,
    };
  }

  /** The request fields all three triggers share; clientMetadata only when this API call carried one. */
  private request(clientMetadata: StringMap | undefined) {
    return {
      // PreventUserExistenceErrors ENABLED, so userNotFound is always populated; an unknown user
      // has no attributes to send (as far as documented).
      userAttributes: { ...(this.user?.attributes ?? {}) },
      userNotFound: this.user === undefined,
      ...(clientMetadata ? { clientMetadata: { ...clientMetadata } } : {}),
    };
  }

  /** Calls a trigger with a fresh JSON copy of the event, as Lambda delivers it, and records the call. */
  private async invoke<K extends TriggerName>(trigger: K, event: TriggerEvents[K]): Promise<Record<string, unknown>> {
    const call = { trigger, event: copy(event), response: undefined as TriggerEvents[K]['response'] | undefined };
    this.calls.push(call as TriggerCall);
    this.allCalls.push(call as TriggerCall);
    const handler = this.options[trigger] as unknown as Trigger<TriggerEvents[K]>;
    const returned: unknown = await handler(copy(event), lambdaContext(trigger, this.options.region ?? 'us-east-1'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(JSON.stringify(returned ?? null));
    } catch {
      throw new InvalidTriggerResponseError(trigger, 'returned a value that is not JSON.');
    }
    const response = isObject(parsed) ? parsed.response : undefined;
    if (!isObject(response)) {
      throw new InvalidTriggerResponseError(trigger, 'did not return the event with a response object.');
    }
    call.response = response as TriggerEvents[K]['response'];
    return copy(response);
  }
}

export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isStringMap(value: unknown): value is StringMap {
  return isObject(value) && Object.values(value).every((entry) => typeof entry === 'string');
}

export function lambdaContext(trigger: TriggerName, region: string): Context {
  const functionName = `harness-${trigger}-auth-challenge`;
  const unsupported = (): never => {
    throw new Error('The harness Context does not support the deprecated done/fail/succeed callbacks.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `harness/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    // A fixed figure; the harness enforces no timeout.
    getRemainingTimeInMillis: () => 5000,
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
