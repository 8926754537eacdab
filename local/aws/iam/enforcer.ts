import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import {
  actionMatches,
  grantedActions,
  type ExtractedPolicies,
  type FunctionRole,
  type PolicyDocument,
} from './policies.js';
import type { AuthCheck } from './request-map.js';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface CallRecord {
  fnId: string;
  action: string;
  resource: string;
  decision: Decision;
  /** Set when the simulator rejected the request itself (our mapping, not the grant): the call is let through. */
  error?: string;
}

export interface UnusedGrants {
  fnId: string;
  /** Granted on a service the local stack emulates, and never called by the function. */
  unused: string[];
  /** Granted for what the platform does on the function's behalf (logs, X-Ray, KMS, the event source's queue): not observable locally. */
  notObservable: string[];
}

/** Services whose calls pass through the proxies; grants on others cannot be seen being used. */
const OBSERVED = new Set(['dynamodb', 's3', 'ses', 'states', 'events', 'sqs']);
/** Actions Lambda's event source mapping performs with the function's role, never the handler. */
const PLATFORM_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
];

export const accessKeyFor = (fnId: string) => `AKIALOCAL${fnId.replace(/[^a-z0-9]/gi, '').toUpperCase()}`;

/** Evaluates each function's calls against its role and the resource policies, as AWS would, and records them. */
export class IamEnforcer {
  readonly calls: CallRecord[] = [];
  private readonly byFn = new Map<string, FunctionRole>();
  private readonly byKey = new Map<string, string>();
  private readonly cache = new Map<string, Promise<{ decision: Decision; error?: string }>>();

  constructor(readonly policies: ExtractedPolicies) {
    for (const f of policies.functions) {
      this.byFn.set(f.fnId, f);
      this.byKey.set(accessKeyFor(f.fnId), f.fnId);
    }
  }

  functionIds(): string[] {
    return [...this.byFn.keys()].sort();
  }

  role(fnId: string): FunctionRole | undefined {
    return this.byFn.get(fnId);
  }

  /** Credentials that identify a function to the proxies (the secret is never checked locally). */
  credentialsFor(fnId: string): { accessKeyId: string; secretAccessKey: string } {
    if (!this.byFn.has(fnId))
      throw new Error(`Okänd funktion: ${fnId} (finns: ${this.functionIds().join(', ')})`);
    return { accessKeyId: accessKeyFor(fnId), secretAccessKey: 'lokal' };
  }

  functionForAccessKey(key: string | undefined): string | undefined {
    return key === undefined ? undefined : this.byKey.get(key);
  }

  /** The resource policy that governs a resource: the bucket's for its objects, the queue's, the key's. */
  resourcePolicyFor(resource: string): PolicyDocument | undefined {
    const exact = this.policies.resourcePolicies.get(resource);
    if (exact) return exact;
    if (resource.startsWith('arn:aws:s3:::')) {
      const bucket = resource.slice('arn:aws:s3:::'.length).split('/')[0];
      return this.policies.resourcePolicies.get(`arn:aws:s3:::${bucket}`);
    }
    return undefined;
  }

  async authorize(fnId: string, check: AuthCheck): Promise<CallRecord> {
    const fn = this.byFn.get(fnId);
    if (!fn) throw new Error(`Okänd funktion: ${fnId}`);
    const cacheKey = JSON.stringify([fnId, check.action, check.resource, check.context]);
    let pending = this.cache.get(cacheKey);
    if (!pending) {
      pending = this.simulate(fn, check);
      this.cache.set(cacheKey, pending);
    }
    const { decision, error } = await pending;
    const record: CallRecord = {
      fnId,
      action: check.action,
      resource: check.resource,
      decision,
      ...(error ? { error } : {}),
    };
    this.calls.push(record);
    return record;
  }

  private async simulate(
    fn: FunctionRole,
    check: AuthCheck,
  ): Promise<{ decision: Decision; error?: string }> {
    const resourcePolicy = this.resourcePolicyFor(check.resource);
    const simulation = {
      identityPolicies: fn.policies.map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
      request: {
        action: check.action,
        principal: fn.principalArn,
        resource: { resource: check.resource, accountId: this.policies.accountId },
        contextVariables: {
          // The SDK talks HTTPS to AWS: the buckets' and queues' deny-insecure-transport statements must not fire.
          'aws:SecureTransport': 'true',
          'aws:PrincipalArn': fn.principalArn,
          'aws:PrincipalAccount': this.policies.accountId,
          'aws:RequestedRegion': this.policies.region,
          ...check.context,
        },
      },
    } as unknown as Simulation;
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') {
      // The simulator's action data rejected the request (e.g. states:SendTaskSuccess "must use wildcard", though
      // AWS authorizes it against the state machine): evaluate without validation and say so in the record.
      const unvalidated = runUnsafeSimulation(simulation, {});
      return { decision: unvalidated, error: JSON.stringify(result.errors) };
    }
    return { decision: result.overallResult };
  }

  /** Per function: the actions its role grants that no recorded call used. */
  unusedGrants(): UnusedGrants[] {
    return this.functionIds().map((fnId) => {
      // A denied attempt uses no grant: only allowed calls count.
      const called = new Set(
        this.calls.filter((c) => c.fnId === fnId && c.decision === 'Allowed').map((c) => c.action),
      );
      const unused: string[] = [];
      const notObservable: string[] = [];
      for (const granted of grantedActions(this.byFn.get(fnId)!)) {
        const service = granted.split(':')[0] ?? '';
        if (!OBSERVED.has(service) || PLATFORM_ACTIONS.some((p) => actionMatches(granted, p))) {
          notObservable.push(granted);
        } else if (![...called].some((a) => actionMatches(granted, a))) {
          unused.push(granted);
        }
      }
      return { fnId, unused, notObservable };
    });
  }

  /** The recorded calls a function was denied. */
  denied(): CallRecord[] {
    return this.calls.filter((c) => c.decision !== 'Allowed');
  }
}

/** A readable report: denied calls first (wrong grants), then grants never used. */
export function formatReport(enforcer: IamEnforcer): string {
  const lines: string[] = [];
  const denied = new Map<string, CallRecord>();
  for (const c of enforcer.denied()) denied.set(`${c.fnId} ${c.action} ${c.resource}`, c);
  lines.push(`Nekade anrop (${denied.size}):`);
  for (const c of denied.values()) lines.push(`  ${c.fnId}: ${c.action} på ${c.resource} (${c.decision})`);
  const errors = new Map<string, CallRecord>();
  for (const c of enforcer.calls.filter((x) => x.error)) errors.set(`${c.fnId} ${c.action} ${c.resource}`, c);
  if (errors.size > 0) {
    lines.push(`Anrop simulatorn inte kunde pröva (släpptes igenom) (${errors.size}):`);
    for (const c of [...errors.values()].slice(0, 20))
      lines.push(`  ${c.fnId}: ${c.action} på ${c.resource}: ${c.error}`);
  }
  // A run covers the paths its tests take: a grant it never called may still be reachable.
  lines.push('Behörigheter som aldrig användes (ta bort bara det ingen kodväg kan anropa):');
  for (const u of enforcer.unusedGrants()) {
    lines.push(`  ${u.fnId}: ${u.unused.length > 0 ? u.unused.join(', ') : '(inga)'}`);
  }
  return lines.join('\n');
}
