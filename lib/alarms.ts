import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MfaFunction } from './mfa-function';

/**
 * SES reviews an account at a 5% bounce rate or a 0.1% complaint rate, and may
 * pause its sending at 10% / 0.5%
 * (https://docs.aws.amazon.com/ses/latest/dg/faqs-enforcement.html). Paused
 * sending means no email-MFA user can sign in, so these alarm below review.
 */
export const sesBounceRateAlarmThreshold = 0.04;
export const sesComplaintRateAlarmThreshold = 0.0008;

export interface MfaAlarmsProps {
  readonly restApi: RestApi;
  /** Alarm when the account's SMS spend this month reaches this many US dollars. */
  readonly smsSpendThresholdUsd: number;
  /**
   * SNS topic each alarm notifies.
   * @default undefined: alarms change state without notifying anyone
   */
  readonly alarmTopicArn?: string;
}

/** One alarm per function for errors and one for throttles. */
export interface FunctionAlarms {
  readonly function: MfaFunction;
  readonly errors: Alarm;
  readonly throttles: Alarm;
}

const period = Duration.minutes(5);

/**
 * CloudWatch alarms on what would hurt users or cost money: errors and
 * throttles of every function of the stack (create this construct after all
 * of them; synthesis fails for one added later), 5xx answers of the API
 * (nothing a client sends should cause one), the account's SMS spend and SES
 * reputation.
 */
export class MfaAlarms extends Construct {
  readonly functionAlarms: readonly FunctionAlarms[];
  readonly apiServerErrors: Alarm;
  readonly smsSpend: Alarm;
  readonly sesBounceRate: Alarm;
  readonly sesComplaintRate: Alarm;
  /** Every alarm above. */
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: MfaAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const functions = stackFunctions(stack);

    this.functionAlarms = functions.map((fn) => {
      const name = fn.node.path.split('/').slice(1).join('');
      return {
        function: fn,
        errors: this.countAlarm(`${name}Errors`, fn.metricErrors({ period, statistic: 'Sum' }), `${fn.node.path} threw or timed out.`),
        throttles: this.countAlarm(
          `${name}Throttles`,
          fn.metricThrottles({ period, statistic: 'Sum' }),
          `${fn.node.path} was throttled: its reserved or the account's concurrency is used up.`,
        ),
      };
    });
    this.apiServerErrors = this.countAlarm(
      'ApiServerErrors',
      props.restApi.deploymentStage.metricServerError({ period, statistic: 'Sum' }),
      'The API answered 5xx; no client input should cause one.',
    );
    // Account-wide, in the region SNS sends this pool's SMS from (the stack's).
    this.smsSpend = new Alarm(this, 'SmsSpend', {
      metric: new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', period, statistic: 'Maximum' }),
      threshold: props.smsSpendThresholdUsd,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `The account's SMS spend this month reached ${props.smsSpendThresholdUsd} USD; at the SNS spend limit SMS stops, and SMS-MFA users cannot sign in.`,
    });
    this.sesBounceRate = this.rateAlarm('SesBounceRate', 'Reputation.BounceRate', sesBounceRateAlarmThreshold, 'bounce');
    this.sesComplaintRate = this.rateAlarm('SesComplaintRate', 'Reputation.ComplaintRate', sesComplaintRateAlarmThreshold, 'complaint');
    this.alarms = [
      ...this.functionAlarms.flatMap(({ errors, throttles }) => [errors, throttles]),
      this.apiServerErrors,
      this.smsSpend,
      this.sesBounceRate,
      this.sesComplaintRate,
    ];

    if (props.alarmTopicArn !== undefined) {
      const action = new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn));
      for (const alarm of this.alarms) alarm.addAlarmAction(action);
    }
    this.node.addValidation({
      validate: () =>
        stackFunctions(stack)
          .filter((fn) => !functions.includes(fn))
          .map((fn) => `${fn.node.path} has no alarms: create MfaAlarms after every MfaFunction of the stack.`),
    });
  }

  /** Any one in five minutes; no data means nothing happened. */
  private countAlarm(id: string, metric: IMetric, description: string): Alarm {
    return new Alarm(this, id, {
      metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
  }

  private rateAlarm(id: string, metricName: string, threshold: number, kind: string): Alarm {
    return new Alarm(this, id, {
      // SES publishes the account's rate as a fraction, over its recent sending.
      metric: new Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: 'Maximum' }),
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No sending yet, no rate: nothing to review.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `The account's SES ${kind} rate reached ${threshold * 100}%, near the level at which SES reviews and may pause sending; email codes would then stop.`,
    });
  }
}

function stackFunctions(stack: Stack): MfaFunction[] {
  return stack.node.findAll().filter((node): node is MfaFunction => node instanceof MfaFunction);
}
