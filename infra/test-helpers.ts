import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp } from './build-app.js';
import type { BuildAppOptions, BuiltApp } from './build-app.js';

export interface Synthesized {
  built: BuiltApp;
  stateful: Template;
  service: Template;
  statefulJson: Record<string, unknown>;
  serviceJson: Record<string, unknown>;
}

/** The configuration overrides the tests synthesize with unless they give their own (`config` context). */
export const TEST_CONFIG = { alarmEmail: 'kansli@finsamgavleborg.se' };

/** Synthesizes the app without bundling into a temporary directory. */
export function synthesize(opts: BuildAppOptions = {}): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapportflode-infra-'));
  const built = buildApp({
    stage: 'prod',
    bundling: false,
    outdir,
    ...opts,
    // prod refuses to synthesize without an alarm recipient (infra/config/stages.ts).
    context: { 'aws:cdk:enable-path-metadata': true, config: TEST_CONFIG, ...opts.context },
  });
  const { stateful, service } = built;
  const statefulTemplate = Template.fromStack(stateful);
  const serviceTemplate = Template.fromStack(service);
  return {
    built,
    stateful: statefulTemplate,
    service: serviceTemplate,
    statefulJson: statefulTemplate.toJSON(),
    serviceJson: serviceTemplate.toJSON(),
  };
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export function resources(template: Record<string, unknown>): Record<string, CfnResource> {
  return template['Resources'] as Record<string, CfnResource>;
}

export function resourcesOfType(template: Record<string, unknown>, type: string): [string, CfnResource][] {
  return Object.entries(resources(template)).filter(([, r]) => r.Type === type);
}

/** Logical id of a construct's CloudFormation resource (e.g. a function's role). */
export function logicalId(construct: IConstruct): string {
  const child = construct.node.defaultChild;
  if (!(child instanceof CfnElement))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(child);
}

export function only<T>(items: T[]): T {
  if (items.length !== 1) throw new Error(`expected exactly one item, found ${items.length}`);
  return items[0]!;
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

/** All statements of the IAM policies attached to the role whose logical id is `roleId`. */
export function roleStatements(template: Record<string, unknown>, roleId: string): PolicyStatement[] {
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties?.['Roles']).includes(`"${roleId}"`))
    .flatMap(([, p]) => (p.Properties?.['PolicyDocument'] as { Statement: PolicyStatement[] }).Statement);
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}
