import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/**
 * The ids of this stack's app clients, for the triggers. They cannot be in the
 * triggers' environment: the pool refers to the triggers, the clients to the
 * pool, so the triggers referring to the clients would be a CloudFormation
 * cycle. The stack writes them to an SSM parameter whose name is fixed in
 * advance, and each container reads it once.
 */
export interface AppClients {
  readonly publicClientId: string;
  readonly serverClientId: string;
}

const ssm = new SSMClient({});
let cached: Promise<AppClients> | undefined;

export function appClients(parameterName: string): Promise<AppClients> {
  cached ??= load(parameterName).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function load(parameterName: string): Promise<AppClients> {
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: parameterName }));
  const clients = JSON.parse(Parameter?.Value ?? '{}') as Partial<AppClients>;
  if (typeof clients.publicClientId !== 'string' || typeof clients.serverClientId !== 'string') {
    throw new Error(`SSM parameter ${parameterName} does not hold publicClientId and serverClientId`);
  }
  return { publicClientId: clients.publicClientId, serverClientId: clients.serverClientId };
}
