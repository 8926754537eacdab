import { z } from 'zod';

/** The account and region every local ARN uses (the stack's event envelopes say the same). */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'eu-west-1';

export interface PolicyDocument {
  Version?: string;
  Statement: Statement[];
}
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** One function's role: what its handler may call, as the synthesized template grants it. */
export interface FunctionRole {
  /** Short name, as the functions/ directory: ingest, granskning-task, … */
  fnId: string;
  logicalId: string;
  roleLogicalId: string;
  /** Session principal, as an assumed Lambda role appears to a resource policy. */
  principalArn: string;
  policies: { name: string; policy: PolicyDocument }[];
}

export interface ExtractedPolicies {
  accountId: string;
  region: string;
  functions: FunctionRole[];
  /** Resource policies by the local resource ARN they protect (bucket ARN, queue ARN, key ARN). */
  resourcePolicies: Map<string, PolicyDocument>;
}

/** Local names of the resources the templates declare, as the local stack creates them. */
export interface LocalNames {
  table: string;
  bucket: string;
  eventBus: string;
  stateMachineArn: string;
  /** The ingest queue's name (its URL's last part, as INGEST_QUEUE_URL names it locally). */
  ingestQueue?: string;
  accountId?: string;
  region?: string;
}

const resourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
});
const templateSchema = z.object({
  Resources: z.record(z.string(), resourceSchema),
  Outputs: z
    .record(
      z.string(),
      z.object({ Value: z.unknown(), Export: z.object({ Name: z.string() }).optional() }).loose(),
    )
    .optional(),
});
export type CfnTemplate = z.infer<typeof templateSchema>;

const statementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: z.union([z.string(), z.array(z.string())]).optional(),
    NotAction: z.union([z.string(), z.array(z.string())]).optional(),
    Resource: z.union([z.string(), z.array(z.string())]).optional(),
    NotResource: z.union([z.string(), z.array(z.string())]).optional(),
    Principal: z.unknown().optional(),
    Condition: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  })
  .loose();
const policySchema = z.object({
  Version: z.string().optional(),
  Statement: z.array(statementSchema),
});

const pascalToKebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * Resolves the CloudFormation intrinsics CDK emits (Ref, Fn::GetAtt, Fn::Join, Fn::ImportValue, Fn::Sub) to the
 * names and ARNs the local stack uses, so a policy reads as it would once deployed into account 000000000000.
 */
export class Resolver {
  private readonly resources = new Map<
    string,
    { Type: string; Properties?: Record<string, unknown> | undefined }
  >();
  private readonly exports = new Map<string, unknown>();
  readonly accountId: string;
  readonly region: string;

  constructor(
    templates: CfnTemplate[],
    private readonly names: LocalNames,
  ) {
    this.accountId = names.accountId ?? LOCAL_ACCOUNT;
    this.region = names.region ?? LOCAL_REGION;
    for (const t of templates) {
      for (const [id, r] of Object.entries(t.Resources)) this.resources.set(id, r);
      for (const o of Object.values(t.Outputs ?? {})) if (o.Export) this.exports.set(o.Export.Name, o.Value);
    }
  }

  /** The local name of a queue: the ingest queue by the name the local stack gives it, others by their id. */
  private queueName(id: string): string {
    return this.names.ingestQueue && /^Ingest\w*IngestQueue[0-9A-F]{8}$/.test(id)
      ? this.names.ingestQueue
      : id;
  }

  typeOf(logicalId: string): string | undefined {
    return this.resources.get(logicalId)?.Type;
  }

  /** The physical name (what `Ref` returns) of a resource, as the local stack names it. */
  ref(id: string): string {
    switch (id) {
      case 'AWS::AccountId':
        return this.accountId;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
    }
    const type = this.typeOf(id);
    const a = this.accountId;
    const r = this.region;
    switch (type) {
      case 'AWS::DynamoDB::Table':
        return this.names.table;
      case 'AWS::S3::Bucket':
        return /^InboundBucket/.test(id) ? this.names.bucket : id.toLowerCase();
      case 'AWS::Events::EventBus':
        return this.names.eventBus;
      case 'AWS::StepFunctions::StateMachine':
        return this.names.stateMachineArn;
      case 'AWS::SQS::Queue':
        return `https://sqs.${r}.amazonaws.com/${a}/${this.queueName(id)}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${r}:${a}:${id}`;
      case 'AWS::KMS::Key':
        return id;
      default:
        return id;
    }
  }

  /** `Fn::GetAtt [id, Arn]` (and the few other attributes policies use). */
  getAtt(id: string, attr: string): string {
    const a = this.accountId;
    const r = this.region;
    const type = this.typeOf(id);
    if (attr === 'Arn') {
      switch (type) {
        case 'AWS::DynamoDB::Table':
          return `arn:aws:dynamodb:${r}:${a}:table/${this.ref(id)}`;
        case 'AWS::S3::Bucket':
          return `arn:aws:s3:::${this.ref(id)}`;
        case 'AWS::Events::EventBus':
          return `arn:aws:events:${r}:${a}:event-bus/${this.ref(id)}`;
        case 'AWS::Events::Rule':
          return `arn:aws:events:${r}:${a}:rule/${id}`;
        case 'AWS::SQS::Queue':
          return `arn:aws:sqs:${r}:${a}:${this.queueName(id)}`;
        case 'AWS::KMS::Key':
          return `arn:aws:kms:${r}:${a}:key/${id}`;
        case 'AWS::Logs::LogGroup':
          return `arn:aws:logs:${r}:${a}:log-group:${id}:*`;
        case 'AWS::Lambda::Function':
          return `arn:aws:lambda:${r}:${a}:function:${this.functionId(id)}`;
        case 'AWS::IAM::Role':
          return `arn:aws:iam::${a}:role/${id}`;
        case 'AWS::StepFunctions::StateMachine':
          return this.names.stateMachineArn;
      }
    }
    if (attr === 'QueueName') return id;
    if (attr === 'Name') return this.ref(id);
    return `${id}.${attr}`;
  }

  /** A function's short name, from its role's description ("Rapportflöde GranskningTaskFunction"). */
  functionId(functionLogicalId: string): string {
    const roleId = this.roleOf(functionLogicalId);
    const description = roleId ? this.resources.get(roleId)?.Properties?.['Description'] : undefined;
    const m = typeof description === 'string' ? /(\w+)Function$/.exec(description) : null;
    return m?.[1] ? pascalToKebab(m[1]) : functionLogicalId;
  }

  roleOf(functionLogicalId: string): string | undefined {
    const role = this.resources.get(functionLogicalId)?.Properties?.['Role'];
    const parsed = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) }).safeParse(role);
    return parsed.success ? parsed.data['Fn::GetAtt'][0] : undefined;
  }

  resolve(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.resolve(x));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const k = keys[0]!;
      const arg = o[k];
      if (k === 'Ref' && typeof arg === 'string') return this.ref(arg);
      if (k === 'Fn::GetAtt') {
        const [id, attr] = Array.isArray(arg) ? (arg as unknown[]) : String(arg).split('.');
        return this.getAtt(String(id), String(attr));
      }
      if (k === 'Fn::Join' && Array.isArray(arg)) {
        const [sep, parts] = arg as [string, unknown[]];
        return parts.map((p) => String(this.resolve(p))).join(sep);
      }
      if (k === 'Fn::ImportValue' && typeof arg === 'string') {
        // An unresolved import would silently grant nothing: fail loudly instead.
        if (!this.exports.has(arg)) throw new Error(`Fn::ImportValue ${arg}: ingen mall exporterar det`);
        return this.resolve(this.exports.get(arg));
      }
      if (k === 'Fn::Sub') {
        const [text, vars] = Array.isArray(arg)
          ? (arg as [string, Record<string, unknown>])
          : [String(arg), {} as Record<string, unknown>];
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (name in vars) return String(this.resolve(vars[name]));
          const [id, attr] = name.split('.');
          return attr ? this.getAtt(id!, attr) : this.ref(id!);
        });
      }
    }
    return Object.fromEntries(Object.entries(o).map(([key, val]) => [key, this.resolve(val)]));
  }

  entries(): [string, { Type: string; Properties?: Record<string, unknown> | undefined }][] {
    return [...this.resources.entries()];
  }
}

/** Per function: its role's inline and managed policies; per resource: its resource policy, all resolved. */
export function extractPolicies(templates: unknown[], names: LocalNames): ExtractedPolicies {
  const parsed = templates.map((t) => templateSchema.parse(t));
  const res = new Resolver(parsed, names);
  const policy = (v: unknown) => policySchema.parse(res.resolve(v)) as PolicyDocument;

  const functions: FunctionRole[] = [];
  for (const [id, r] of res.entries()) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const roleId = res.roleOf(id);
    if (!roleId) continue;
    const fnId = res.functionId(id);
    const policies: FunctionRole['policies'] = [];
    const role = res.entries().find(([rid]) => rid === roleId)?.[1];
    for (const p of z
      .array(z.object({ PolicyName: z.unknown(), PolicyDocument: z.unknown() }))
      .catch([])
      .parse(role?.Properties?.['Policies'] ?? [])) {
      policies.push({ name: String(res.resolve(p.PolicyName)), policy: policy(p.PolicyDocument) });
    }
    // Managed policies are referenced by ARN; only customer-managed ones from the template can be read.
    for (const m of z
      .array(z.unknown())
      .catch([])
      .parse(role?.Properties?.['ManagedPolicyArns'] ?? [])) {
      const ref = z.object({ Ref: z.string() }).safeParse(m);
      const managed = ref.success ? res.entries().find(([mid]) => mid === ref.data.Ref)?.[1] : undefined;
      if (managed?.Type === 'AWS::IAM::ManagedPolicy') {
        policies.push({
          name: ref.success ? ref.data.Ref : 'managed',
          policy: policy(managed.Properties?.['PolicyDocument']),
        });
      }
    }
    for (const [pid, p] of res.entries()) {
      if (p.Type !== 'AWS::IAM::Policy' && p.Type !== 'AWS::IAM::ManagedPolicy') continue;
      const roles = z
        .array(z.object({ Ref: z.string() }).loose())
        .catch([])
        .parse(p.Properties?.['Roles'] ?? []);
      if (!roles.some((x) => x.Ref === roleId)) continue;
      policies.push({ name: pid, policy: policy(p.Properties?.['PolicyDocument']) });
    }
    functions.push({
      fnId,
      logicalId: id,
      roleLogicalId: roleId,
      principalArn: `arn:aws:sts::${res.accountId}:assumed-role/${roleId}/${fnId}`,
      policies,
    });
  }

  const resourcePolicies = new Map<string, PolicyDocument>();
  for (const [id, r] of res.entries()) {
    const props = r.Properties ?? {};
    if (r.Type === 'AWS::S3::BucketPolicy') {
      resourcePolicies.set(
        `arn:aws:s3:::${String(res.resolve(props['Bucket']))}`,
        policy(props['PolicyDocument']),
      );
    } else if (r.Type === 'AWS::SQS::QueuePolicy') {
      for (const q of z
        .array(z.object({ Ref: z.string() }).loose())
        .catch([])
        .parse(props['Queues'] ?? [])) {
        resourcePolicies.set(res.getAtt(q.Ref, 'Arn'), policy(props['PolicyDocument']));
      }
    } else if (r.Type === 'AWS::KMS::Key' && props['KeyPolicy']) {
      resourcePolicies.set(res.getAtt(id, 'Arn'), policy(props['KeyPolicy']));
    }
  }
  return { accountId: res.accountId, region: res.region, functions, resourcePolicies };
}

const asArray = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Every action a function's identity policies allow (as written: patterns stay patterns). */
export function grantedActions(fn: FunctionRole): string[] {
  const out = new Set<string>();
  for (const p of fn.policies) {
    for (const s of p.policy.Statement)
      if (s.Effect === 'Allow') for (const a of asArray(s.Action)) out.add(a);
  }
  return [...out].sort();
}

/** IAM action pattern match: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(action);
}
