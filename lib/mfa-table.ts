import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { mfaTableKeys } from '../contract/mfa-table';

export interface MfaTableProps {
  /** Also turns on deletion protection when RETAIN. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The service's one DynamoDB table: pending email codes and failure budgets
 * (with email MFA), and what the API needs whether or not email MFA is on: the
 * send logs of the per-account caps and the recovery code sets.
 */
export class MfaTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: MfaTableProps) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: mfaTableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: mfaTableKeys.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: mfaTableKeys.timeToLive,
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
  }
}
