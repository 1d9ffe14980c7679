import * as path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  JsonSchemaType,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  ResponseType,
  RestApi,
  type JsonSchema,
  type Model,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { userAdminScope, type ApiRoute, type RoutePermission } from '../contract/routes';
import type { ObjectSchema } from '../contract/schema';
import type { Throttle } from './config';
import { MfaFunction, type FunctionDefaults } from './mfa-function';

export interface MfaApiProps {
  readonly userPool: IUserPool;
  readonly routes: readonly ApiRoute[];
  /** Environment every API function gets: `apiEnvironment.encode` of contract/environment.ts. */
  readonly environment: Readonly<Record<string, string>>;
  readonly functionDefaults: FunctionDefaults;
  /** Exact origins allowed to call the API from a browser; empty means no CORS. */
  readonly corsAllowOrigins: readonly string[];
  readonly throttle: Throttle;
  /** For routes that check or send a one-time code. */
  readonly codeThrottle: Throttle;
  /** How to give a route's function each permission its route lists (contract/routes.ts). */
  readonly grants: Readonly<Record<RoutePermission, (fn: MfaFunction) => void>>;
}

const lambdaDirectory = path.join(__dirname, '..', 'lambda', 'api');

/**
 * The REST API: one function per route, the Cognito user-pool authorizer on
 * every `token` route, request bodies validated against the routes' schemas,
 * stage throttling (tighter where codes are checked), access logs without bodies,
 * and errors from API Gateway itself in the same `{ name, message }` shape as the
 * handlers'.
 */
export class MfaApi extends Construct {
  readonly restApi: RestApi;
  readonly authorizer: CognitoUserPoolsAuthorizer;
  readonly accessLogs: LogGroup;
  /** The route's function, by `ApiRoute.handler`. */
  readonly functions: ReadonlyMap<string, MfaFunction>;

  constructor(scope: Construct, id: string, props: MfaApiProps) {
    super(scope, id);
    validateProps(props);

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.functionDefaults.logRetention,
      removalPolicy: props.functionDefaults.removalPolicy,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      description: 'Amplify-shaped MFA setup, verification and preferences over Amazon Cognito.',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        methodOptions: Object.fromEntries(
          props.routes
            .filter((route) => route.throttle === 'code')
            .map((route) => [
              `${route.path}/${route.method}`,
              { throttlingRateLimit: props.codeThrottle.rateLimit, throttlingBurstLimit: props.codeThrottle.burstLimit },
            ]),
        ),
        // Execution logs would need an account-wide role; access logs below carry no bodies.
        loggingLevel: MethodLoggingLevel.OFF,
        dataTraceEnabled: false,
        metricsEnabled: true,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            resource: '$context.resourcePath',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            sub: '$context.authorizer.claims.sub',
            error: '$context.error.message',
          }),
        ),
      },
      ...(props.corsAllowOrigins.length > 0 && {
        defaultCorsPreflightOptions: {
          allowOrigins: [...props.corsAllowOrigins],
          allowMethods: ['GET', 'POST', 'PUT'],
          allowHeaders: ['Content-Type', 'Authorization'],
          maxAge: Duration.hours(1),
        },
      }),
    });
    this.addErrorResponses(props.corsAllowOrigins);

    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [props.userPool] });
    const requestValidator = new RequestValidator(this, 'RequestValidator', {
      restApi: this.restApi,
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const functions = new Map<string, MfaFunction>();
    for (const route of props.routes) {
      const fn = new MfaFunction(this, functionId(route), {
        entry: path.join(lambdaDirectory, `${route.handler}.ts`),
        description: `${route.method} ${route.path}`,
        defaults: props.functionDefaults,
        environment: props.environment,
      });
      functions.set(route.handler, fn);
      for (const permission of route.permissions) props.grants[permission](fn);
      const model = route.requestSchema && this.modelFor(route.requestSchema);
      const method = this.restApi.root
        .resourceForPath(route.path)
        .addMethod(route.method, new LambdaIntegration(fn, { allowTestInvoke: false }), {
          requestValidator,
          ...(route.auth === 'token' && {
            authorizationType: AuthorizationType.COGNITO,
            authorizer: this.authorizer,
            authorizationScopes: [userAdminScope],
            requestParameters: { 'method.request.header.Authorization': true },
          }),
          // `$default` applies the model whatever Content-Type the client sends.
          ...(model && { requestModels: { $default: model } }),
        });
      if (route.auth === 'none') {
        const reason = 'Sign-in is how a caller gets a token; it is authenticated by the password and codes it carries.';
        Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
      }
    }
    this.functions = functions;
    this.acknowledgeFindings(props.corsAllowOrigins.length > 0);
  }

  /** One model per schema: routes that take the same body (refresh and sign-out) share it. */
  private modelFor(schema: ObjectSchema): Model {
    const existing = this.models.get(schema);
    if (existing) return existing;
    const model = this.restApi.addModel(schema.title, {
      modelName: schema.title,
      contentType: 'application/json',
      schema: toApiGatewaySchema(schema),
    });
    this.models.set(schema, model);
    return model;
  }

  private readonly models = new Map<ObjectSchema, Model>();

  /**
   * API Gateway answers some requests itself (bad token, throttled, invalid body).
   * Those answers get the handlers' `{ name, message }` shape with the Cognito
   * names clients already handle. Gateway responses allow only plain variable
   * substitution, so the quoted `messageString` is the one safe variable to use.
   */
  private addErrorResponses(corsAllowOrigins: readonly string[]): void {
    // With one allowed origin the header is a constant; with several, API Gateway cannot echo the right one.
    const onlyOrigin = corsAllowOrigins.length === 1 ? corsAllowOrigins[0] : undefined;
    const responseHeaders: Record<string, string> = {
      'Cache-Control': "'no-store'",
      'X-Content-Type-Options': "'nosniff'",
      ...(onlyOrigin && { 'Access-Control-Allow-Origin': `'${onlyOrigin}'` }),
    };
    const body = (name: string, message: string) => ({
      'application/json': `{"name":"${name}","message":${message}}`,
    });
    const responses: [ResponseType, string, string, string?][] = [
      [ResponseType.MISSING_AUTHENTICATION_TOKEN, 'ResourceNotFoundException', '"No route matches this method and path."', '404'],
      [ResponseType.UNAUTHORIZED, 'NotAuthorizedException', '"The access token is missing, invalid or expired. Sign in again."'],
      [ResponseType.ACCESS_DENIED, 'ForbiddenException', '"The request was blocked."'],
      [
        ResponseType.BAD_REQUEST_BODY,
        'InvalidParameterException',
        '"The request body does not match the schema of this route; see docs/openapi.yaml."',
      ],
      [ResponseType.THROTTLED, 'TooManyRequestsException', '"Too many requests. Wait a moment and try again."'],
      [ResponseType.DEFAULT_4XX, 'InvalidParameterException', '$context.error.messageString'],
      [ResponseType.DEFAULT_5XX, 'InternalErrorException', '"Internal error. Try again later."'],
    ];
    for (const [type, name, message, statusCode] of responses) {
      this.restApi.addGatewayResponse(`${type.responseType}Response`, {
        type,
        statusCode,
        templates: body(name, message),
        responseHeaders,
      });
    }
  }

  private acknowledgeFindings(hasCorsPreflight: boolean): void {
    Validations.of(this.restApi).acknowledge(
      {
        id: 'AwsSolutions-APIG3',
        reason: 'A WAF web ACL is an account-level choice with its own cost; stage throttling limits abuse here.',
      },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          'Execution logging needs the account-wide API Gateway CloudWatch role, which one stack should not own; access logging is on for every method.',
      },
    );
    if (hasCorsPreflight) {
      Validations.of(this.restApi).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: 'CORS preflight (OPTIONS) requests carry no credentials by design.' },
        { id: 'AwsSolutions-COG4', reason: 'CORS preflight (OPTIONS) requests carry no credentials by design.' },
      );
    }
  }
}

function validateProps(props: MfaApiProps): void {
  const seen = new Set<string>();
  for (const route of props.routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`MfaApi: route ${key} is defined twice.`);
    seen.add(key);
    if (!/^(\/[a-z0-9-]+)+$/.test(route.path)) {
      throw new Error(`MfaApi: route path "${route.path}" must be lower-case segments such as /mfa/totp/setup.`);
    }
  }
  for (const [name, throttle] of [
    ['throttle', props.throttle],
    ['codeThrottle', props.codeThrottle],
  ] as const) {
    if (!(throttle.rateLimit > 0 && throttle.burstLimit >= 1)) {
      throw new Error(`MfaApi: ${name} needs a positive rateLimit and a burstLimit of at least 1.`);
    }
  }
  if (props.codeThrottle.rateLimit > props.throttle.rateLimit) {
    throw new Error('MfaApi: codeThrottle.rateLimit must not exceed throttle.rateLimit; code routes are the tighter ones.');
  }
}

function functionId(route: ApiRoute): string {
  return route.handler.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

function toApiGatewaySchema(schema: ObjectSchema): JsonSchema {
  return {
    schema: JsonSchemaVersion.DRAFT4,
    title: schema.title,
    type: JsonSchemaType.OBJECT,
    additionalProperties: false,
    // Draft 4 requires a non-empty `required` array when present.
    ...(schema.required.length > 0 && { required: [...schema.required] }),
    ...(schema.minProperties !== undefined && { minProperties: schema.minProperties }),
    properties: Object.fromEntries(
      Object.entries(schema.properties).map(([name, field]) => [
        name,
        {
          type: JsonSchemaType.STRING,
          description: field.description,
          ...(field.minLength !== undefined && { minLength: field.minLength }),
          ...(field.maxLength !== undefined && { maxLength: field.maxLength }),
          ...(field.pattern !== undefined && { pattern: field.pattern }),
          ...(field.enum !== undefined && { enum: [...field.enum] }),
        },
      ]),
    ),
  };
}
