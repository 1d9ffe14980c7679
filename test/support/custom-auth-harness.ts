import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import {
  copy,
  CustomAuthLoop,
  preTokenGenerationEvent,
  runPreTokenGeneration,
  triggerResponse,
  type AuthCall,
  type CustomAuthIo,
  type CustomAuthTriggers,
  type LoopStep,
  type SessionEntry,
  type StringMap,
  type Trigger,
  type TriggerEvents,
  type TriggerName,
  type TriggerSubject,
} from '../../local/custom-auth-loop';
import { lambdaContext } from '../../local/lambda-context';

export type { Trigger } from '../../local/custom-auth-loop';
export { UserLambdaValidationError } from '../../local/custom-auth-loop';

/**
 * Drives the three custom-auth challenge triggers (Define, Create, Verify) through
 * Cognito's custom authentication loop (custom-auth-loop.ts), so trigger tests can run a
 * whole sign-in without AWS. It models an app client with PreventUserExistenceErrors ENABLED
 * and a client that signs in the way Amplify's CUSTOM_WITH_SRP / CUSTOM_WITHOUT_SRP
 * do. Sources are cited where they decide a modelling choice; see also
 * test/support-tests/custom-auth-harness.test.ts.
 *
 * Limits: each session string is single-use and expires after AuthSessionValidity (3 to 15
 * minutes, default 3), which the harness does not model (no clock); every round of the loop
 * needs an answer() from the test.
 * With `preTokenGeneration` it runs that trigger where Cognito issues tokens (after Define's
 * issueTokens; `generateTokens` for the other trigger sources, e.g. a refresh); a throw rejects
 * with UserLambdaValidationError.
 * Not modelled: the SRP maths, native MFA code checks (the harness stops at NATIVE_MFA), device
 * challenges, the lockout after failed attempts, and the other triggers (pre-authentication...).
 */

export type NativeMfa = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA';

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

export interface HarnessOptions extends CustomAuthTriggers {
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
  /** Runs where tokens are issued; without it tokens are issued unchecked. */
  preTokenGeneration?: Trigger<PreTokenGenerationTriggerEvent>;
}

/** A token issue outside the custom-auth loop, e.g. a refresh, for `generateTokens`. */
export interface TokenGenerationInput {
  username: string;
  clientId: string;
  triggerSource: PreTokenGenerationTriggerEvent['triggerSource'];
  clientMetadata?: StringMap;
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

/** FAILED is Cognito's NotAuthorizedException. */
export type SignInStep =
  | Exclude<LoopStep, { readonly kind: 'PASSWORD_VERIFIER' }>
  | { readonly kind: 'NATIVE_MFA'; readonly challengeName: NativeMfa | 'SELECT_MFA_TYPE' };

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
    readonly trigger: TriggerName | 'preTokenGeneration',
    message: string,
  ) {
    super(`${trigger} trigger: ${message}`);
    this.name = 'InvalidTriggerResponseError';
  }
}

export class CustomAuthHarness {
  /** Every invocation of every sign-in, including those whose startSignIn rejected. */
  readonly triggerCalls: TriggerCall[] = [];
  /** Every Pre Token Generation event sent, in order. */
  readonly tokenGenerationEvents: PreTokenGenerationTriggerEvent[] = [];

  constructor(private readonly options: HarnessOptions) {}

  /**
   * Runs Pre Token Generation as Cognito does when it issues tokens by another way than this
   * loop (a refresh, a hosted UI sign-in...): resolves if the tokens would be issued, rejects with
   * UserLambdaValidationError if the trigger refused them. A user the harness does not know
   * cannot get tokens at all.
   */
  async generateTokens(input: TokenGenerationInput): Promise<'TOKENS'> {
    const user = this.options.users(input.username);
    if (!user) throw new Error(`No user ${input.username}: Cognito issues no tokens for a user that does not exist.`);
    const subject = harnessSubject(this.options, input.clientId, user, input.username);
    await issueTokens(this.options, subject, input.triggerSource, input.clientMetadata, this.tokenGenerationEvents);
    return 'TOKENS';
  }

  /** InitiateAuth CUSTOM_AUTH, plus the PASSWORD_VERIFIER response when Define asks for it. */
  async startSignIn(input: SignInInput): Promise<SignIn> {
    if (input.srp && input.password === undefined) throw new Error('srp: true needs a password.');
    if (!input.srp && input.password !== undefined) throw new Error('A password is only sent with srp: true.');
    const flow = new SignInFlow(this.options, input, this.triggerCalls, this.tokenGenerationEvents);
    await flow.start();
    return flow;
  }
}

class SignInFlow implements SignIn {
  private current: SignInStep | undefined;
  private ended = false;
  private busy = false;
  private readonly calls: TriggerCall[] = [];
  private readonly user: HarnessUser | undefined;
  private readonly io: CustomAuthIo = {
    invoke: (trigger, event) => this.invoke(trigger, event),
    invalidResponse: (trigger, detail) => new InvalidTriggerResponseError(trigger, `${detail}.`),
    unmodelledChallenge: (_challengeName, detail) => new InvalidTriggerResponseError('define', `${detail}.`),
  };
  private readonly loop: CustomAuthLoop;

  constructor(
    private readonly options: HarnessOptions,
    private readonly input: SignInInput,
    private readonly allCalls: TriggerCall[],
    private readonly tokenGenerationEvents: PreTokenGenerationTriggerEvent[],
  ) {
    this.user = options.users(input.username);
    this.loop = new CustomAuthLoop(this.io, input.srp);
  }

  get step(): SignInStep {
    if (!this.current) throw new Error('The sign-in has not started.');
    return this.current;
  }
  get session(): readonly SessionEntry[] {
    return this.loop.session;
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
    // InitiateAuth's ClientMetadata does not reach the triggers (SignInInput.clientMetadata).
    await this.run(async () => this.afterLoop(await this.loop.next(this.call(undefined)), this.input.clientMetadata));
  }

  async answer(challengeAnswer: string, options: { clientMetadata?: StringMap } = {}): Promise<SignInStep> {
    if (this.current?.kind === 'NATIVE_MFA') {
      throw new Error('Cognito checks native MFA codes itself and calls no challenge trigger; the harness stops here.');
    }
    if (this.ended || this.busy || !this.loop.awaitsAnswer) {
      // Each RespondToAuthChallenge consumes the session; a replay gets NotAuthorizedException
      // "Invalid session for the user" (re:Post QUXOn0iCq-TNavGxtuFc7DGA, amplify-js#13123).
      const step = this.current?.kind ?? 'none';
      throw new Error(`answer() is not possible now (step ${step}): the session was used or the sign-in ended.`);
    }
    const call = this.call(options.clientMetadata);
    return this.run(async () => this.afterLoop(await this.loop.answer(challengeAnswer, call), options.clientMetadata));
  }

  /**
   * Answers password steps, then, when Define issued tokens, runs Pre Token Generation on them
   * with the ClientMetadata of the RespondToAuthChallenge call that issued them (`clientMetadata`);
   * tokens from InitiateAuth itself (a session of SRP_A at most) carry none.
   */
  private async afterLoop(loopStep: LoopStep, clientMetadata: StringMap | undefined): Promise<SignInStep> {
    const step = await this.answerPasswordSteps(loopStep);
    if (step.kind === 'TOKENS' && this.user) {
      const metadata = this.loop.session.length > 1 ? clientMetadata : undefined;
      const subject = harnessSubject(this.options, this.input.clientId, this.user, this.input.username);
      await issueTokens(this.options, subject, 'TokenGeneration_Authentication', metadata, this.tokenGenerationEvents);
    }
    return step;
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

  /** The client answers each PASSWORD_VERIFIER Define asks for in its own RespondToAuthChallenge call. */
  private async answerPasswordSteps(step: LoopStep): Promise<SignInStep> {
    while (step.kind === 'PASSWORD_VERIFIER') {
      // With SRP an unknown user always fails the password proof (Managing user existence error
      // responses, developer guide). Real Cognito may answer a wrong password with NotAuthorizedException
      // directly; the harness appends a failed PASSWORD_VERIFIER and asks Define, so a correct Define
      // ends in FAILED either way and a Define that ignores challengeResult is caught.
      const passed = this.user !== undefined && this.input.password === this.user.password;
      this.loop.recordPasswordVerifier(passed);
      const mfa = this.user?.nativeMfa ?? [];
      if (passed && mfa.length > 0 && (this.options.nativeMfaTakesOverAfterPassword ?? true)) {
        // "If MFA is enabled for a user, it is handled automatically after the password is verified"
        // (User pool authentication flow, developer guide); Define is not called again and tokens follow
        // Cognito's own MFA step (amplify-js#3876, #9592; #12887: MFA depends on PASSWORD_VERIFIER).
        const preferred = this.user?.preferredMfa;
        if (mfa.length === 1) return { kind: 'NATIVE_MFA', challengeName: mfa[0]! };
        return { kind: 'NATIVE_MFA', challengeName: preferred && mfa.includes(preferred) ? preferred : 'SELECT_MFA_TYPE' };
      }
      step = await this.loop.next(this.call(this.input.clientMetadata));
    }
    return step;
  }

  private get region(): string {
    return this.options.region ?? 'us-east-1';
  }

  private call(clientMetadata: StringMap | undefined): AuthCall {
    return { subject: harnessSubject(this.options, this.input.clientId, this.user, this.input.username), clientMetadata };
  }

  /** Calls a trigger with a fresh JSON copy of the event, as Lambda delivers it, and records the call. */
  private async invoke<K extends TriggerName>(trigger: K, event: TriggerEvents[K]): Promise<Record<string, unknown>> {
    const call = { trigger, event: copy(event), response: undefined as TriggerEvents[K]['response'] | undefined };
    this.calls.push(call as TriggerCall);
    this.allCalls.push(call as TriggerCall);
    const handler = this.options[trigger] as unknown as Trigger<TriggerEvents[K]>;
    const context = lambdaContext(`harness-${trigger}-auth-challenge`, this.region);
    const response = triggerResponse(trigger, await handler(copy(event), context), this.io);
    call.response = response as TriggerEvents[K]['response'];
    return copy(response);
  }
}

function harnessSubject(options: HarnessOptions, clientId: string, user: HarnessUser | undefined, typedName: string): TriggerSubject {
  return {
    region: options.region ?? 'us-east-1',
    userPoolId: options.userPoolId ?? 'us-east-1_Harness1',
    clientId,
    userName: user?.username ?? typedName,
    // An unknown user has no attributes to send (as far as documented).
    userAttributes: user?.attributes ?? {},
    userNotFound: user === undefined,
  };
}

/** Pre Token Generation, when the harness has it, before tokens are issued. */
async function issueTokens(
  options: HarnessOptions,
  subject: TriggerSubject,
  triggerSource: PreTokenGenerationTriggerEvent['triggerSource'],
  clientMetadata: StringMap | undefined,
  events: PreTokenGenerationTriggerEvent[],
): Promise<void> {
  if (!options.preTokenGeneration) return;
  const event = preTokenGenerationEvent(subject, triggerSource, clientMetadata);
  events.push(copy(event));
  await runPreTokenGeneration(
    options.preTokenGeneration,
    event,
    lambdaContext('harness-pre-token-generation', subject.region),
    (detail) => new InvalidTriggerResponseError('preTokenGeneration', `${detail}.`),
  );
}
