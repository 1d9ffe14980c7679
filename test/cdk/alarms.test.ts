import { App, RemovalPolicy } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../../lib/config';
import { MfaFunction } from '../../lib/mfa-function';
import { MfaServiceStack } from '../../lib/mfa-service-stack';
import { synthesize } from '../support/synth';

type Resource = { Type: string; Properties: Record<string, unknown> };

function alarmsOf(template: Template): Resource[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>);
}

/** The logical ID of each function, as the alarms' FunctionName dimension refers to it. */
function functionIds(template: Template): string[] {
  return Object.keys(template.findResources('AWS::Lambda::Function'));
}

function alarmsOn(template: Template, namespace: string, metricName: string): Resource[] {
  return alarmsOf(template).filter((alarm) => alarm.Properties.Namespace === namespace && alarm.Properties.MetricName === metricName);
}

describe('alarms', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthesize({}, { bundle: false }));
  });

  test.each(['Errors', 'Throttles'])('every function alarms on %s: any one in five minutes', (metricName) => {
    const ids = functionIds(template);
    expect(ids.length).toBeGreaterThan(5);
    const watched = alarmsOn(template, 'AWS/Lambda', metricName).map((alarm) => {
      expect(alarm.Properties).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching', Statistic: 'Sum' });
      return (alarm.Properties.Dimensions as { Name: string; Value: { Ref: string } }[]).find(({ Name }) => Name === 'FunctionName')?.Value
        .Ref;
    });
    expect(watched.sort()).toEqual(ids.sort());
  });

  test("the API's 5xx answers on its stage", () => {
    const [alarm, ...others] = alarmsOn(template, 'AWS/ApiGateway', '5XXError');
    expect(others).toHaveLength(0);
    expect(alarm?.Properties).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
    expect((alarm?.Properties.Dimensions as { Name: string }[]).map(({ Name }) => Name).sort()).toEqual(['ApiName', 'Stage']);
  });

  test("the account's SMS spend, at the default threshold", () => {
    expect(alarmsOn(template, 'AWS/SNS', 'SMSMonthToDateSpentUSD')).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({ Threshold: 0.8, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Maximum' }),
      }),
    ]);
  });

  test('SES bounce and complaint rates, below the levels at which SES reviews the account (5%, 0.1%)', () => {
    const [bounce] = alarmsOn(template, 'AWS/SES', 'Reputation.BounceRate');
    const [complaint] = alarmsOn(template, 'AWS/SES', 'Reputation.ComplaintRate');
    expect(bounce?.Properties.Threshold).toBeLessThan(0.05);
    expect(complaint?.Properties.Threshold).toBeLessThan(0.001);
  });

  test('without alarmTopicArn no alarm has an action', () => {
    for (const alarm of alarmsOf(template)) expect(alarm.Properties).not.toHaveProperty('AlarmActions');
  });

  test('with alarmTopicArn every alarm notifies that topic', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:mfa-alerts';
    const { template: withTopic } = synthesize({ alarmTopicArn: topicArn, smsSpendAlarmUsd: '40' }, { bundle: false });
    const alarms = alarmsOf(withTopic);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
    expect(alarmsOn(withTopic, 'AWS/SNS', 'SMSMonthToDateSpentUSD')[0]?.Properties.Threshold).toBe(40);
  });

  test('an alarmTopicArn that is not an SNS topic ARN is refused', () => {
    expect(() => synthesize({ alarmTopicArn: 'mfa-alerts' }, { bundle: false })).toThrow(
      'Context key "alarmTopicArn" must be an SNS topic ARN',
    );
  });

  test('a function added after the alarms fails synthesis', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = readConfig(() => undefined);
    const stack = new MfaServiceStack(app, config.stackName, { config, env: { region: 'eu-west-1' } });
    new MfaFunction(stack, 'LateFunction', {
      entry: 'lambda/api/fetch-mfa-preference.ts',
      description: 'added after the alarms',
      defaults: { logLevel: 'INFO', logRetention: config.logRetention, removalPolicy: RemovalPolicy.DESTROY },
    });
    expect(() => app.synth()).toThrow('MfaService/LateFunction has no alarms');
  });
});
