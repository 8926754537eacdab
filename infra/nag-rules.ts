import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnReceiptRule, CfnReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { CfnSubscription, CfnTopic } from 'aws-cdk-lib/aws-sns';
import { NagMessageLevel, NagPack, NagRuleCompliance, NagRules } from 'cdk-nag';
import type { NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { SES_RECEIVING_REGIONS } from './config/stages.js';
import type { StageName } from './config/stages.js';

/** Plugin name of this pack in the validation report; rule ids are `Rapportflode-<suffix>`. */
export const RAPPORTFLODE_PACK = 'Rapportflode';

/**
 * CloudFormation Metadata key on an AWS::Lambda::Function: the longest an invocation can legitimately run, in
 * seconds, as computed by the construct that knows the handler's limits. Rapportflode-Lambda2 compares it with
 * the function's Timeout, so the rule needs no knowledge of the function's internals.
 */
export const WORST_CASE_SECONDS_METADATA = 'rapportflode:worstCaseSeconds';

/** Declares the worst-case duration of one invocation of `fn` (see {@link WORST_CASE_SECONDS_METADATA}). */
export function declareWorstCaseSeconds(fn: IConstruct, seconds: number): void {
  const cfn = fn.node.defaultChild;
  if (!(cfn instanceof CfnFunction)) throw new Error(`${fn.node.path} has no AWS::Lambda::Function`);
  cfn.addMetadata(WORST_CASE_SECONDS_METADATA, seconds);
}

export interface RapportflodeChecksProps extends NagPackProps {
  /** The stage the app is built for; some constraints only matter in production. */
  readonly stage: StageName;
}

const receiptRuleSchema = z.object({
  actions: z.array(z.object({ s3Action: z.object({ bucketName: z.unknown() }).optional() })).optional(),
});
const objectLockSchema = z
  .object({ rule: z.object({ defaultRetention: z.record(z.string(), z.unknown()).optional() }).optional() })
  .optional();

/** All CloudFormation resources of one type in the whole app (every stack, every stage). */
function resourcesIn<T extends CfnResource>(
  scope: IConstruct,
  type: abstract new (...args: never[]) => T,
): T[] {
  return scope.node.root.node.findAll().filter((c): c is T => c instanceof type);
}

/**
 * Whether `value` (a property of any resource, in any stack) is or contains a reference to `target`. The
 * value is resolved in the target's own stack, where a reference to it renders as `{"Ref": "<logical id>"}`
 * even if the value belongs to another stack (the cross-stack export is only substituted for the consumer).
 */
function refersTo(target: CfnResource, value: unknown): boolean {
  const stack = Stack.of(target);
  const ref = JSON.stringify({ Ref: stack.getLogicalId(target) });
  return JSON.stringify(stack.resolve(value) ?? null).includes(ref);
}

/**
 * Cross-service constraints that AWS documents and that the AwsSolutions and Serverless packs do not check.
 * Each rule names its documentation source in its explanation.
 */
export class RapportflodeChecks extends NagPack {
  readonly name = RAPPORTFLODE_PACK;
  private readonly stage: StageName;

  constructor(scope: IConstruct | undefined, props: RapportflodeChecksProps) {
    super(scope, props);
    this.packName = RAPPORTFLODE_PACK;
    this.stage = props.stage;
  }

  protected checkResource(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: 'SES1',
      info: 'The SES receipt rule delivers to an S3 bucket whose Object Lock has a default retention period.',
      explanation:
        'SES does not support receipt rules that upload to S3 buckets enabled with Object Lock configured with a ' +
        'default retention period: the S3 action fails and the mail is not stored. Source: Amazon SES Developer ' +
        'Guide, "Deliver to S3 bucket action" ' +
        '(https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-s3.html). Keep Object Lock enabled ' +
        'without a default rule and set retention per object after SES has written it.',
      level: NagMessageLevel.ERROR,
      node,
      rule: (resource) => this.sesS3ObjectLock(resource),
    });
    this.applyRule({
      ruleSuffixOverride: 'SES2',
      info: 'The SES receipt rule (set) is in a stack whose region is not an SES email-receiving region, or is unresolved.',
      explanation:
        'Receipt rules can be created in any SES region but only receive mail where SES has an inbound-smtp ' +
        'endpoint; elsewhere the stack deploys and no mail ever arrives. Source: AWS General Reference, "Amazon ' +
        'Simple Email Service endpoints and quotas", table "Email receiving endpoints" ' +
        '(https://docs.aws.amazon.com/general/latest/gr/ses.html#ses_inbound_endpoints), copied to ' +
        'SES_RECEIVING_REGIONS in infra/config/stages.ts. An env-agnostic stack (region unresolved at synth) is ' +
        'non-compliant too: it deploys to whatever region the CLI profile names, so the check cannot be made; pin ' +
        'the region in the stack env.',
      level: NagMessageLevel.ERROR,
      node,
      rule: (resource) => sesReceivingRegion(resource),
    });
    this.applyRule({
      ruleSuffixOverride: 'Lambda1',
      info: 'The Lambda function reserves concurrency, which fails to deploy in accounts with a reduced concurrency quota.',
      explanation:
        'Lambda keeps 100 units of account concurrency unreserved: "You can reserve up to the Unreserved account ' +
        'concurrency value minus 100". Source: AWS Lambda Developer Guide, "Configuring reserved concurrency for a ' +
        'function" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html). New accounts ' +
        'have reduced concurrency quotas (AWS Lambda Developer Guide, "Lambda quotas", ' +
        'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), as low as 10, where the API ' +
        'rejects any reservation ("decreases account\'s UnreservedConcurrentExecution below its minimum value of ' +
        '[10]"). Bound concurrency with maxConcurrency on the SQS event source, or avoid overlap with a schedule ' +
        'and an idempotent handler, instead.',
      level: NagMessageLevel.ERROR,
      node,
      rule: (resource) => reservedConcurrency(resource),
    });
    this.applyRule({
      ruleSuffixOverride: 'Lambda2',
      info: `The Lambda function's Timeout does not exceed its declared worst-case duration (${WORST_CASE_SECONDS_METADATA}).`,
      explanation:
        'When the timeout is reached Lambda stops the invocation; an SQS batch then returns to the queue and is ' +
        'retried until it reaches the dead-letter queue, without any partial result. Source: AWS Lambda Developer ' +
        'Guide, "Configure Lambda function timeout" ' +
        '(https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html); the maximum timeout is 900 ' +
        'seconds ("Lambda quotas"). The worst case is declared by the construct from the handler\'s own limits ' +
        '(for ingest: batch size × (mailTimeBudgetMs of functions/extraction/limits.ts + an overhead allowance)).',
      level: NagMessageLevel.ERROR,
      node,
      rule: (resource) => timeoutCoversWorstCase(resource),
    });
    this.applyRule({
      ruleSuffixOverride: 'SNS1',
      info: 'The SNS topic is an alarm action in prod but has no subscription: alarms reach nobody.',
      explanation:
        "CloudWatch alarm actions publish to the SNS topic, and SNS delivers only to the topic's subscribers. " +
        'Source: Amazon CloudWatch User Guide, "Using Amazon CloudWatch alarms" ' +
        '(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html) and Amazon ' +
        'SNS API Reference, "Subscribe" (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html; an ' +
        'e-mail endpoint must also confirm). In prod, set alarmEmail (docs/deploy.md) so the topic gets a ' +
        'subscription.',
      level: NagMessageLevel.ERROR,
      node,
      rule: (resource) => this.alarmTopicSubscribed(resource),
    });
  }

  private sesS3ObjectLock(node: CfnResource): NagRuleCompliance {
    if (!(node instanceof CfnReceiptRule)) return NagRuleCompliance.NOT_APPLICABLE;
    const targets = resourcesIn(node, CfnBucket).filter((bucket) => {
      // Resolved in the bucket's stack, so references from another stack match too.
      const rule = receiptRuleSchema.parse(Stack.of(bucket).resolve(node.rule));
      const literalName: unknown = Stack.of(bucket).resolve(bucket.bucketName);
      return (rule.actions ?? []).some(
        ({ s3Action }) =>
          s3Action !== undefined &&
          (refersTo(bucket, s3Action.bucketName) ||
            (typeof literalName === 'string' && s3Action.bucketName === literalName)),
      );
    });
    // A bucket outside the app (named by a literal) cannot be checked here.
    if (targets.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const withDefault = targets.some((bucket) => {
      const lock = objectLockSchema.parse(Stack.of(bucket).resolve(bucket.objectLockConfiguration));
      return lock?.rule?.defaultRetention !== undefined;
    });
    return withDefault ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  }

  private alarmTopicSubscribed(node: CfnResource): NagRuleCompliance {
    if (!(node instanceof CfnTopic) || this.stage !== 'prod') return NagRuleCompliance.NOT_APPLICABLE;
    const alarmAction = resourcesIn(node, CfnAlarm).some((alarm) => refersTo(node, alarm.alarmActions));
    if (!alarmAction) return NagRuleCompliance.NOT_APPLICABLE;
    const inline = z.array(z.unknown()).optional().parse(Stack.of(node).resolve(node.subscription));
    const subscribed =
      (inline ?? []).length > 0 ||
      resourcesIn(node, CfnSubscription).some((subscription) => refersTo(node, subscription.topicArn));
    return subscribed ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
}

function sesReceivingRegion(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof CfnReceiptRule) && !(node instanceof CfnReceiptRuleSet)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const region = Stack.of(node).region;
  if (Token.isUnresolved(region)) return NagRuleCompliance.NON_COMPLIANT;
  return (SES_RECEIVING_REGIONS as readonly string[]).includes(region)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}

function reservedConcurrency(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof CfnFunction)) return NagRuleCompliance.NOT_APPLICABLE;
  const reserved = z
    .number()
    .optional()
    .parse(NagRules.resolveIfPrimitive(node, node.reservedConcurrentExecutions));
  // 0 is Lambda's off switch: it takes nothing from the unreserved pool.
  return reserved === undefined || reserved === 0
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}

function timeoutCoversWorstCase(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof CfnFunction)) return NagRuleCompliance.NOT_APPLICABLE;
  const worstCase = z.number().positive().optional().parse(node.getMetadata(WORST_CASE_SECONDS_METADATA));
  if (worstCase === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  // Lambda's default timeout is 3 seconds.
  const timeout = z.number().default(3).parse(NagRules.resolveIfPrimitive(node, node.timeout));
  return timeout > worstCase ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
