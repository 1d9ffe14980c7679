import type {
  Context,
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PreTokenGenerationTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';

/**
 * Cognito's custom authentication loop, the one model of it that the trigger harness
 * (custom-auth-harness.ts) and the local Cognito front (cognito-front.ts) both play: the
 * session array Define sees, Define's decision, Create's challenge, Verify's verdict on the
 * answer, and what Cognito accepts from each trigger. Around it each caller keeps its own part:
 * the password step, native MFA, session strings, tokens, and how a fault reaches the client.
 * Sources are cited where they decide a modelling choice.
 *
 * Cognito loops until Define issues tokens or fails. No documented cap on the number of round
 * trips was found, and the loop imposes none: every round waits for an answer from the client.
 */

export type SessionEntry = DefineAuthChallengeTriggerEvent['request']['session'][number];
export type StringMap = Record<string, string>;

/** A trigger as Lambda runs it; `(event) => Promise<event>` handlers and Middy handlers fit too. */
export type Trigger<E> = (event: E, context: Context) => Promise<E>;

export interface TriggerEvents {
  define: DefineAuthChallengeTriggerEvent;
  create: CreateAuthChallengeTriggerEvent;
  verify: VerifyAuthChallengeResponseTriggerEvent;
}
export type TriggerName = keyof TriggerEvents;

export interface CustomAuthTriggers {
  define: Trigger<DefineAuthChallengeTriggerEvent>;
  create: Trigger<CreateAuthChallengeTriggerEvent>;
  verify: Trigger<VerifyAuthChallengeResponseTriggerEvent>;
}

/** Who the events of one InitiateAuth or RespondToAuthChallenge call are about. */
export interface TriggerSubject {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** The user's actual user name; the name the client sent when there is no such user. */
  readonly userName: string;
  readonly userAttributes: StringMap;
  readonly userNotFound: boolean;
}

/** What one API call hands the triggers: its subject, and its ClientMetadata if it carried one. */
export interface AuthCall {
  readonly subject: TriggerSubject;
  readonly clientMetadata: StringMap | undefined;
}

/** Where the loop stands once Define has decided: the end, or what the client must answer next. */
export type LoopStep =
  | { readonly kind: 'TOKENS' }
  | { readonly kind: 'FAILED' }
  | { readonly kind: 'PASSWORD_VERIFIER' }
  | { readonly kind: 'CUSTOM_CHALLENGE'; readonly publicChallengeParameters: StringMap };

/** How the caller runs a trigger and words a fault, e.g. as an exception or as Cognito's error answer. */
export interface CustomAuthIo {
  /** Runs one trigger on a copy of the event and returns its `response` (see triggerResponse). */
  invoke<K extends TriggerName>(trigger: K, event: TriggerEvents[K]): Promise<Record<string, unknown>>;
  /** A trigger answered something Cognito cannot act on; `detail` says what. */
  invalidResponse(trigger: TriggerName, detail: string): Error;
  /** Define named a challenge the loop does not play; `detail` says whether Cognito documents it. */
  unmodelledChallenge(challengeName: string, detail: string): Error;
}

// Names the Define docs list for session entries; only CUSTOM_CHALLENGE and PASSWORD_VERIFIER are played.
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

export class CustomAuthLoop {
  private readonly entries: SessionEntry[] = [];
  private pending: { readonly privateChallengeParameters: StringMap; readonly challengeMetadata: string | undefined } | undefined;

  /** `srp`: the client started with SRP_A (CUSTOM_WITH_SRP), so it can answer PASSWORD_VERIFIER. */
  constructor(
    private readonly io: CustomAuthIo,
    private readonly srp: boolean,
  ) {
    // "Your define auth challenge Lambda trigger is invoked with an initial session that contains
    // challengeName: SRP_A and challengeResult: true" (Define auth challenge trigger, developer guide).
    if (srp) this.record('SRP_A', true);
  }

  /** The session array as Cognito holds it now (a copy). */
  get session(): SessionEntry[] {
    return copy(this.entries);
  }

  /** Whether a custom challenge went to the client and waits for its answer. */
  get awaitsAnswer(): boolean {
    return this.pending !== undefined;
  }

  /** The client answered PASSWORD_VERIFIER; the caller checked the proof. */
  recordPasswordVerifier(passed: boolean): void {
    this.record('PASSWORD_VERIFIER', passed);
  }

  /** Asks Define what comes next, and has Create make the challenge if Define asks for CUSTOM_CHALLENGE. */
  async next(call: AuthCall): Promise<LoopStep> {
    const response = await this.io.invoke('define', {
      ...envelope(call.subject, 'DefineAuthChallenge_Authentication'),
      request: { ...triggerRequest(call), session: copy(this.entries) },
      response: { challengeName: cognitoNull, issueTokens: cognitoNull, failAuthentication: cognitoNull },
    });
    const invalid = (detail: string) => this.io.invalidResponse('define', detail);
    const { challengeName, issueTokens, failAuthentication } = response;
    for (const [name, value] of Object.entries({ issueTokens, failAuthentication })) {
      if (value !== null && value !== undefined && typeof value !== 'boolean') throw invalid(`${name} must be a boolean`);
    }
    if (issueTokens === true && failAuthentication === true) throw invalid('issueTokens and failAuthentication are both true');
    // Assumption: a terminal flag wins over a challengeName left in the response.
    if (issueTokens === true) return { kind: 'TOKENS' };
    if (failAuthentication === true) return { kind: 'FAILED' };
    if (typeof challengeName !== 'string' || challengeName === '') {
      throw invalid('neither issueTokens nor failAuthentication is true, and no challengeName is given');
    }
    if (challengeName === 'CUSTOM_CHALLENGE') return this.create(call);
    if (challengeName === 'PASSWORD_VERIFIER') {
      if (!this.srp) throw invalid('PASSWORD_VERIFIER asked for, but the client did not start with SRP_A and cannot answer it');
      if (this.entries.some((entry) => entry.challengeName === 'PASSWORD_VERIFIER')) {
        throw invalid('PASSWORD_VERIFIER asked for a second time, which is not modelled');
      }
      return { kind: 'PASSWORD_VERIFIER' };
    }
    if (documentedChallengeNames.includes(challengeName)) {
      throw this.io.unmodelledChallenge(challengeName, `challengeName ${challengeName} is not modelled`);
    }
    const documented = documentedChallengeNames.join(', ');
    throw this.io.unmodelledChallenge(challengeName, `unknown challengeName ${JSON.stringify(challengeName)} (documented: ${documented})`);
  }

  /** Verify judges the answer to the pending challenge; its verdict joins the session and Define decides again. */
  async answer(challengeAnswer: string, call: AuthCall): Promise<LoopStep> {
    const pending = this.pending;
    if (!pending) throw new Error('No custom challenge waits for an answer.');
    this.pending = undefined;
    const response = await this.io.invoke('verify', {
      ...envelope(call.subject, 'VerifyAuthChallengeResponse_Authentication'),
      request: { ...triggerRequest(call), privateChallengeParameters: pending.privateChallengeParameters, challengeAnswer },
      response: { answerCorrect: cognitoNull },
    });
    if (typeof response.answerCorrect !== 'boolean') throw this.io.invalidResponse('verify', 'answerCorrect must be a boolean');
    this.record('CUSTOM_CHALLENGE', response.answerCorrect, pending.challengeMetadata);
    return this.next(call);
  }

  private async create(call: AuthCall): Promise<LoopStep> {
    const response = await this.io.invoke('create', {
      ...envelope(call.subject, 'CreateAuthChallenge_Authentication'),
      request: { ...triggerRequest(call), challengeName: 'CUSTOM_CHALLENGE', session: copy(this.entries) },
      response: { publicChallengeParameters: cognitoNull, privateChallengeParameters: cognitoNull, challengeMetadata: cognitoNull },
    });
    const invalid = (detail: string) => this.io.invalidResponse('create', detail);
    const { publicChallengeParameters, privateChallengeParameters, challengeMetadata } = response;
    if (!isStringMap(publicChallengeParameters)) throw invalid('publicChallengeParameters must be an object of strings');
    // Reported: an empty privateChallengeParameters makes Cognito fail the sign-in
    // (awsdocs/amazon-cognito-developer-guide#20, aws-samples/amazon-cognito-passwordless-auth#214).
    if (!isStringMap(privateChallengeParameters) || Object.keys(privateChallengeParameters).length === 0) {
      throw invalid('privateChallengeParameters must be a non-empty object of strings');
    }
    if (challengeMetadata !== null && challengeMetadata !== undefined && typeof challengeMetadata !== 'string') {
      throw invalid('challengeMetadata must be a string');
    }
    this.pending = { privateChallengeParameters, challengeMetadata: challengeMetadata ?? undefined };
    return { kind: 'CUSTOM_CHALLENGE', publicChallengeParameters: { ...publicChallengeParameters } };
  }

  /** Appends a session entry; Cognito sends challengeMetadata null when there is none. */
  private record(challengeName: SessionEntry['challengeName'], challengeResult: boolean, metadata?: string): void {
    this.entries.push({ challengeName, challengeResult, challengeMetadata: metadata ?? cognitoNull } as SessionEntry);
  }
}

/**
 * What a trigger returned, as Cognito reads it: the JSON Lambda sends back (a fresh copy), which
 * must be the event with a `response` object.
 */
export function triggerResponse(
  trigger: TriggerName,
  returned: unknown,
  io: Pick<CustomAuthIo, 'invalidResponse'>,
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(JSON.stringify(returned ?? null));
  } catch {
    throw io.invalidResponse(trigger, 'returned a value that is not JSON');
  }
  const response = isObject(parsed) ? parsed.response : undefined;
  if (!isObject(response)) throw io.invalidResponse(trigger, 'did not return the event with a response object');
  return response;
}

function envelope<T extends string>(subject: TriggerSubject, triggerSource: T) {
  return {
    version: '1',
    region: subject.region,
    userPoolId: subject.userPoolId,
    userName: subject.userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: subject.clientId },
    triggerSource,
  };
}

/** The request fields all three triggers share; clientMetadata only when this API call carried one. */
function triggerRequest({ subject, clientMetadata }: AuthCall) {
  return {
    // PreventUserExistenceErrors ENABLED (every client modelled here), so userNotFound is always populated.
    userAttributes: { ...subject.userAttributes },
    userNotFound: subject.userNotFound,
    ...(clientMetadata ? { clientMetadata: { ...clientMetadata } } : {}),
  };
}

// ---- Pre Token Generation: where Cognito issues tokens, in any flow ----------------------------

/**
 * The V1_0 Pre Token Generation event, as the developer guide documents it
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html):
 * the user's attributes, an empty group configuration, the ClientMetadata of the
 * call that issues the tokens, and a null claimsOverrideDetails to fill in. The
 * trigger sources are TokenGeneration_HostedAuth, _Authentication,
 * _NewPasswordChallenge, _AuthenticateDevice and _RefreshTokens.
 */
export function preTokenGenerationEvent(
  subject: TriggerSubject,
  triggerSource: PreTokenGenerationTriggerEvent['triggerSource'],
  clientMetadata: StringMap | undefined,
): PreTokenGenerationTriggerEvent {
  return {
    ...envelope(subject, triggerSource),
    request: {
      userAttributes: { ...subject.userAttributes },
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: cognitoNull },
      ...(clientMetadata ? { clientMetadata: { ...clientMetadata } } : {}),
    },
    response: { claimsOverrideDetails: cognitoNull },
  };
}

/**
 * A trigger that throws makes Cognito refuse the call with UserLambdaValidationException,
 * "<trigger> failed with error <message>." (HTTP 400; e.g. "DefineAuthChallenge failed with error
 * ..." in amplify-js#9127, and public client code that strips the same wrapper from "PreTokenGeneration
 * failed with error <message>.").
 */
export class UserLambdaValidationError extends Error {
  override readonly name = 'UserLambdaValidationException';
  constructor(lambdaName: string, cause: unknown) {
    super(`${lambdaName} failed with error ${cause instanceof Error ? cause.message : String(cause)}.`);
  }
}

/** Runs Pre Token Generation on a JSON copy of the event, as Lambda delivers it; a throw refuses the tokens. */
export async function runPreTokenGeneration(
  trigger: Trigger<PreTokenGenerationTriggerEvent>,
  event: PreTokenGenerationTriggerEvent,
  context: Context,
  invalidResponse: (detail: string) => Error,
): Promise<void> {
  let returned: unknown;
  try {
    returned = await trigger(copy(event), context);
  } catch (error) {
    throw new UserLambdaValidationError('PreTokenGeneration', error);
  }
  // Cognito needs the event back (InvalidLambdaResponseException otherwise); claim overrides are
  // not modelled: the service's trigger makes none.
  const parsed: unknown = JSON.parse(JSON.stringify(returned ?? null));
  if (!isObject(parsed) || !isObject(parsed.response)) throw invalidResponse('did not return the event with a response object');
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
