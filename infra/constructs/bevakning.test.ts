import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  logicalId,
  only,
  resourcesOf,
  resourcesOfType,
  roleStatements,
  synthesize,
  type Synthesized,
} from '../test-helpers.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

describe('the bevakning schedule', () => {
  it('runs daily at 07:00 Europe/Stockholm, with retries and the DLQ', () => {
    const [, schedule] = only(resourcesOfType(s.serviceJson, 'AWS::Scheduler::Schedule'));
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Stockholm',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalId(s.built.service.bevakning.bevakning.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(s.built.service.bevakning.dlq), 'Arn'] } },
      },
    });
  });

  it('gives Scheduler a role that invokes exactly the function (no versions) and writes the DLQ, for this account only', () => {
    const [roleId, role] = only(
      resourcesOfType(s.serviceJson, 'AWS::IAM::Role').filter(([id]) =>
        id.includes('BevakningSchedulerRole'),
      ),
    );
    expect(JSON.stringify(role.Properties?.['AssumeRolePolicyDocument'])).toContain('aws:SourceAccount');
    const statements = roleStatements(s.serviceJson, roleId);
    const invoke = statements.filter((st) => actionsOf(st).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap(resourcesOf)).toEqual([
      { 'Fn::GetAtt': [logicalId(s.built.service.bevakning.bevakning.function), 'Arn'] },
    ]);
    expect(
      statements.flatMap(actionsOf).filter((a) => !a.startsWith('sqs:') && a !== 'lambda:InvokeFunction'),
    ).toEqual([]);
  });
});
