import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultPlaceholder, stateMachineDefinition } from './definition.js';
import { GRANSKNING_STATES } from './constructs/granskning-workflow.js';
import { logicalId, synthesize } from './test-helpers.js';
import type { Synthesized } from './test-helpers.js';

// asl-validator 4 is CommonJS without type declarations: load it through require and type its result.
const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

const catchSchema = z.object({
  ErrorEquals: z.array(z.string()),
  Next: z.string(),
  ResultPath: z.string().optional(),
});
const stateSchema = z
  .object({
    Type: z.string(),
    Resource: z.string().optional(),
    Parameters: z.record(z.string(), z.unknown()).optional(),
    TimeoutSeconds: z.number().optional(),
    ResultPath: z.string().optional(),
    ResultSelector: z.record(z.string(), z.unknown()).optional(),
    Result: z.unknown().optional(),
    Catch: z.array(catchSchema).optional(),
    Retry: z.array(z.object({ ErrorEquals: z.array(z.string()) }).loose()).optional(),
    Next: z.string().optional(),
    End: z.boolean().optional(),
  })
  .loose();
const definitionSchema = z.object({ StartAt: z.string(), States: z.record(z.string(), stateSchema) }).loose();

let s: Synthesized;
let asl: z.infer<typeof definitionSchema>;
const state = (name: string) => {
  const found = asl.States[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
};

beforeAll(() => {
  s = synthesize();
  asl = definitionSchema.parse(stateMachineDefinition(s.serviceJson));
});

describe('granskning definition', () => {
  it('is valid Amazon States Language (asl-validator)', () => {
    const result = aslValidator(stateMachineDefinition(s.serviceJson), { checkPaths: true, checkArn: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only: no JSONata, no Assign (the local runner cannot run them)', () => {
    const text = JSON.stringify(asl);
    expect(text).not.toContain('JSONata');
    expect(text).not.toContain('"Assign"');
    expect(text).not.toContain('{%');
  });

  it('has exactly the contracted states', () => {
    expect(asl.StartAt).toBe(GRANSKNING_STATES.notifiera);
    expect(Object.keys(asl.States).sort()).toEqual(Object.values(GRANSKNING_STATES).sort());
  });

  it.each([
    [GRANSKNING_STATES.notifiera, 'notifiera', 'svarstid', GRANSKNING_STATES.paminnelse],
    [GRANSKNING_STATES.paminnelse, 'paminn', 'paminnelse', GRANSKNING_STATES.eskalering],
    [GRANSKNING_STATES.eskalering, 'eskalera', 'eskalering', GRANSKNING_STATES.ingetBeslut],
  ] as const)(
    '%s waits for a task token (steg %s), times out after %s and then goes to %s',
    (name, steg, timeout, onTimeout) => {
      const task = state(name);
      const taskFunctionId = logicalId(s.built.service.granskning.task.function);
      expect(task.Type).toBe('Task');
      expect(task.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(task.Parameters).toEqual({
        FunctionName: `arn:aws:lambda:local:000000000000:function:${taskFunctionId}`,
        Payload: { steg, 'taskToken.$': '$$.Task.Token', 'granskning.$': '$' },
      });
      expect(task.ResultPath).toBe('$.beslut');
      expect(task.TimeoutSeconds).toBe(s.built.config.granskning[timeout]);
      expect(task.Next).toBe(GRANSKNING_STATES.avsluta);
      expect(task.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
        [['States.Timeout'], onTimeout],
        [['States.ALL'], GRANSKNING_STATES.misslyckades],
      ]);
      // The catch keeps the execution input next to the error.
      for (const c of task.Catch ?? []) expect(c.ResultPath).toBe('$.fel');
    },
  );

  it('records "inget-beslut" when the escalation also times out, then closes', () => {
    expect(state(GRANSKNING_STATES.ingetBeslut)).toMatchObject({
      Type: 'Pass',
      Result: { utfall: 'inget-beslut' },
      ResultPath: '$.beslut',
      Next: GRANSKNING_STATES.avsluta,
    });
  });

  it('closes with the finalize function, retrying Lambda service errors, then succeeds', () => {
    const finalizeId = logicalId(s.built.service.granskning.finalize.function);
    const avsluta = state(GRANSKNING_STATES.avsluta);
    expect(avsluta).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: `arn:aws:lambda:local:000000000000:function:${finalizeId}`,
        'Payload.$': '$',
      },
      ResultSelector: { 'resultat.$': '$.Payload' },
      ResultPath: '$.avslut',
      Next: GRANSKNING_STATES.klar,
    });
    expect(avsluta.Retry?.[0]?.ErrorEquals).toContain('Lambda.ServiceException');
    expect(avsluta.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [['States.ALL'], GRANSKNING_STATES.misslyckades],
    ]);
    expect(state(GRANSKNING_STATES.klar).Type).toBe('Succeed');
    expect(state(GRANSKNING_STATES.misslyckades).Type).toBe('Fail');
  });
});

describe('stateMachineDefinition', () => {
  it('replaces intrinsics inside the Fn::Join with caller-chosen placeholders', () => {
    const template = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function' },
        Sm: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: {
              'Fn::Join': [
                '',
                [
                  '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"',
                  { 'Fn::GetAtt': ['Fn', 'Arn'] },
                  '","End":true}}}',
                ],
              ],
            },
          },
        },
      },
    };
    expect(stateMachineDefinition(template, () => 'X')).toEqual({
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'X', End: true } },
    });
    expect(defaultPlaceholder({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe(
      'arn:aws:lambda:local:000000000000:function:Fn',
    );
    expect(defaultPlaceholder({ Ref: 'AWS::Partition' })).toBe('aws');
  });

  it('refuses a template without exactly one state machine', () => {
    expect(() => stateMachineDefinition({ Resources: {} })).toThrow(/found 0/);
  });
});
