import { z } from 'zod';

/** A CloudFormation intrinsic inside `DefinitionString` (Ref, Fn::GetAtt, ...), as found in the template. */
export type DefinitionToken = Record<string, unknown>;

const resourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
});
const templateSchema = z.object({ Resources: z.record(z.string(), resourceSchema) });

/** Lambda ARNs become `arn:aws:lambda:local:000000000000:function:<LogicalId>`; other tokens `${<json>}`. */
export function defaultPlaceholder(token: DefinitionToken): string {
  const getAtt = token['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
    return `arn:aws:lambda:local:000000000000:function:${getAtt[0]}`;
  }
  const ref = token['Ref'];
  if (typeof ref === 'string') {
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::Region') return 'local';
    if (ref === 'AWS::AccountId') return '000000000000';
    return `\${${ref}}`;
  }
  return `\${${JSON.stringify(token)}}`;
}

function render(value: unknown, placeholders: (token: DefinitionToken) => string): string {
  if (typeof value === 'string') return value;
  const record = z.record(z.string(), z.unknown()).parse(value);
  const join = record['Fn::Join'];
  if (join !== undefined) {
    const [separator, parts] = z.tuple([z.string(), z.array(z.unknown())]).parse(join);
    return parts.map((part) => render(part, placeholders)).join(separator);
  }
  return placeholders(record);
}

/**
 * Extracts the state machine's ASL from a synthesized template: renders `DefinitionString` (a string or an
 * `Fn::Join` of strings and intrinsics), replacing each intrinsic with `placeholders(token)`, and parses it.
 * Throws unless the template holds exactly one `AWS::StepFunctions::StateMachine`.
 */
export function stateMachineDefinition(
  template: object,
  placeholders: (token: DefinitionToken) => string = defaultPlaceholder,
): Record<string, unknown> {
  const { Resources } = templateSchema.parse(template);
  const machines = Object.values(Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) {
    throw new Error(`expected one AWS::StepFunctions::StateMachine, found ${machines.length}`);
  }
  const definitionString = machines[0]?.Properties?.['DefinitionString'];
  if (definitionString === undefined) throw new Error('the state machine has no DefinitionString');
  const text = render(definitionString, placeholders);
  return z.record(z.string(), z.unknown()).parse(JSON.parse(text));
}
