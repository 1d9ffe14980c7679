import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AdminRefusal } from './errors';

/**
 * Where the service's parts are, from the stack's outputs (lib/mfa-service-stack.ts),
 * each of which an option can give instead: with all that a command needs given,
 * CloudFormation is not asked at all (how the tests run against the emulators).
 */
export interface ServiceLocation {
  readonly userPoolId: string;
  readonly tableName: string;
  /** The SES sender of the reset notice. */
  readonly emailFrom: string;
  readonly appName: string;
}

/** Each part, with the stack output that holds it and the option that overrides it. */
export const locationSources = {
  userPoolId: { output: 'UserPoolId', option: 'user-pool' },
  tableName: { output: 'MfaTableName', option: 'table' },
  emailFrom: { output: 'EmailFrom', option: 'email-from' },
  appName: { output: 'AppName', option: 'app-name' },
} as const satisfies Record<keyof ServiceLocation, { output: string; option: string }>;

export type LocationPart = keyof ServiceLocation;

/**
 * The parts `needed`, from the overrides where given, else from the outputs of
 * `stackName`. DescribeStacks answers a stack that does not exist with a
 * ValidationError ("If the stack doesn't exist, a ValidationError is returned",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html),
 * which becomes a refusal that names the stack and the way out.
 */
export async function locateService<Part extends LocationPart>(
  cloudFormation: CloudFormationClient,
  stackName: string,
  needed: readonly Part[],
  overrides: Partial<ServiceLocation>,
): Promise<Pick<ServiceLocation, Part>> {
  const missing = needed.filter((part) => !overrides[part]);
  const outputs = missing.length === 0 ? {} : await stackOutputs(cloudFormation, stackName);
  const location: Partial<ServiceLocation> = {};
  for (const part of needed) {
    const value = overrides[part] || outputs[locationSources[part].output];
    if (!value) {
      const { output, option } = locationSources[part];
      throw new AdminRefusal(`Stack ${stackName} has no output ${output}: deploy the current version of the stack, or pass --${option}.`);
    }
    location[part] = value;
  }
  return location as Pick<ServiceLocation, Part>;
}

async function stackOutputs(cloudFormation: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack) throw new AdminRefusal(`No stack ${stackName} found.`);
    return Object.fromEntries(
      (stack.Outputs ?? []).flatMap((output) => (output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [])),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'ValidationError') {
      throw new AdminRefusal(
        `No stack ${stackName} in this account and region (${error.message}): pass --stack <name>, and --region or AWS_REGION for its region.`,
      );
    }
    throw error;
  }
}
