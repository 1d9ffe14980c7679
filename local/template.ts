import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What npm start needs from the synthesized template, read as CloudFormation
 * would: the Lambda functions with their bundles and environments, the user
 * pool and its clients, the table, the SSM parameters and the REST API's
 * methods under its stage. Values that name other resources stay as the
 * template has them (Ref, Fn::GetAtt, Fn::Join) until `resolve` is given what
 * each resource is locally.
 */
export type TemplateValue = unknown;

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface TemplateFunction {
  readonly logicalId: string;
  /** The bundle's directory (asset.<hash>), holding index.mjs. */
  readonly assetDirectory: string;
  readonly environment: Readonly<Record<string, TemplateValue>>;
}

export interface TemplateRoute {
  readonly method: string;
  /** e.g. /mfa/totp/setup */
  readonly path: string;
  readonly functionId: string;
  /** The Cognito authorizer's scopes; undefined for a method without authorizer. */
  readonly scopes: readonly string[] | undefined;
  /** The JSON schema (draft 4) of the method's request model, which API Gateway checks bodies against. */
  readonly requestModel: Readonly<Record<string, unknown>> | undefined;
}

export interface TemplateClient {
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
}

export interface DeploymentTemplate {
  readonly functions: readonly TemplateFunction[];
  readonly userPool: { readonly logicalId: string; readonly properties: Record<string, unknown> };
  readonly clients: readonly TemplateClient[];
  readonly table: { readonly logicalId: string; readonly properties: Record<string, unknown> };
  readonly parameters: readonly { readonly logicalId: string; readonly name: string; readonly value: TemplateValue }[];
  readonly keyId: string;
  readonly routes: readonly TemplateRoute[];
  /** e.g. /v1, the stage the deployed ApiUrl ends with. */
  readonly stagePath: string;
}

export function readDeploymentTemplate(cloudAssembly: string, stackName: string): DeploymentTemplate {
  const template = JSON.parse(readFileSync(join(cloudAssembly, `${stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, Resource>;
  };
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const only = (type: string) => {
    const found = ofType(type);
    if (found.length !== 1) throw new Error(`The template has ${found.length} ${type}, npm start expects one`);
    const [logicalId, resource] = found[0] as [string, Resource];
    return { logicalId, properties: resource.Properties ?? {} };
  };

  const functions = ofType('AWS::Lambda::Function').flatMap(([logicalId, resource]) => {
    const assetPath = resource.Metadata?.['aws:asset:path'];
    // Functions CDK adds itself (log retention, custom resources) have inline code or no bundle of ours.
    if (typeof assetPath !== 'string') return [];
    const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    return [{ logicalId, assetDirectory: join(cloudAssembly, assetPath), environment: variables }];
  });

  const apiResources = new Map(ofType('AWS::ApiGateway::Resource').map(([id, resource]) => [id, resource.Properties ?? {}]));
  const pathOf = (resourceId: unknown): string => {
    const ref = (resourceId as { Ref?: string } | undefined)?.Ref;
    const properties = ref === undefined ? undefined : apiResources.get(ref);
    if (!properties) return ''; // the RestApi's RootResourceId
    return `${pathOf(properties.ParentId)}/${String(properties.PathPart)}`;
  };
  const routes = ofType('AWS::ApiGateway::Method').flatMap(([, resource]) => {
    const properties = resource.Properties ?? {};
    const functionId = integrationFunction(properties.Integration);
    if (functionId === undefined) return []; // CORS preflights (MOCK integrations)
    return [
      {
        method: String(properties.HttpMethod),
        path: pathOf(properties.ResourceId) || '/',
        functionId,
        scopes: authorizerScopes(properties),
        requestModel: requestModelOf(properties.RequestModels),
      },
    ];
  });

  function requestModelOf(models: unknown): Readonly<Record<string, unknown>> | undefined {
    const ref = (models as Record<string, { Ref?: string }> | undefined)?.$default?.Ref;
    const model = ref === undefined ? undefined : template.Resources[ref];
    return model?.Type === 'AWS::ApiGateway::Model' ? (model.Properties?.Schema as Record<string, unknown>) : undefined;
  }

  const stage = only('AWS::ApiGateway::Stage');
  return {
    functions,
    userPool: only('AWS::Cognito::UserPool'),
    clients: ofType('AWS::Cognito::UserPoolClient').map(([logicalId, resource]) => ({ logicalId, properties: resource.Properties ?? {} })),
    table: only('AWS::DynamoDB::GlobalTable'),
    parameters: ofType('AWS::SSM::Parameter').map(([logicalId, resource]) => ({
      logicalId,
      name: String(resource.Properties?.Name),
      value: resource.Properties?.Value,
    })),
    keyId: only('AWS::KMS::Key').logicalId,
    routes,
    stagePath: `/${String(stage.properties.StageName)}`,
  };
}

/**
 * The scopes the stand-in demands, or undefined for an open method. Only NONE and
 * COGNITO_USER_POOLS are modelled: any other authorizer (AWS_IAM, CUSTOM) would
 * otherwise be served without one, more open than the deployed API.
 */
function authorizerScopes(method: Record<string, unknown>): readonly string[] | undefined {
  const type = method.AuthorizationType ?? 'NONE';
  if (type === 'NONE') return undefined;
  if (type === 'COGNITO_USER_POOLS') return (method.AuthorizationScopes as string[] | undefined) ?? [];
  throw new Error(`npm start models no ${JSON.stringify(type)} authorizer (method ${String(method.HttpMethod)})`);
}

/** The function an AWS_PROXY integration invokes: the Fn::GetAtt [id, Arn] inside its Uri. */
function integrationFunction(integration: unknown): string | undefined {
  const found = JSON.stringify(integration ?? {}).match(/\{"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]\}/);
  return found?.[1];
}

/** What each resource is locally: its Ref, and its attributes by name. */
export interface LocalResources {
  readonly refs: Readonly<Record<string, string>>;
  readonly attributes: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A template value with Ref, Fn::GetAtt and Fn::Join worked out; anything else the template might use fails loudly. */
export function resolve(value: TemplateValue, local: LocalResources): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') {
      const found = local.refs[object.Ref];
      if (found === undefined) throw new Error(`npm start has no local value for Ref ${object.Ref}`);
      return found;
    }
    if (Array.isArray(object['Fn::GetAtt'])) {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      const found = local.attributes[id]?.[attribute];
      if (found === undefined) throw new Error(`npm start has no local value for Fn::GetAtt ${id}.${attribute}`);
      return found;
    }
    if (Array.isArray(object['Fn::Join'])) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => resolve(part, local)).join(separator);
    }
  }
  throw new Error(`npm start cannot resolve the template value ${JSON.stringify(value)}`);
}
