import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, type LocalLambda } from './step-functions.js';

const definition = {
  StartAt: 'Vanta',
  States: {
    Vanta: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { 'Payload.$': '$', 'token.$': '$$.Task.Token' },
      ResultPath: '$.beslut',
      TimeoutSeconds: 1,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.fel', Next: 'Efter' }],
      Next: 'Efter',
    },
    Efter: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'Payload.$': '$' },
      ResultPath: '$.avslut',
      End: true,
    },
  },
};

const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:Test';
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
};

function runner(dataDir: string, vanta: LocalLambda, efter: LocalLambda, timeout = 1) {
  return new LocalStepFunctions(
    ARN,
    definition,
    { waitForToken: { Vanta: vanta }, invoke: { Efter: efter } },
    { dataDir, taskTimeoutOverrideSeconds: { Vanta: timeout }, log: () => undefined },
  );
}

describe('the local Step Functions runner', () => {
  it('resumes a waiting task after a restart with the same token, without running its Lambda again', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sfn-replay-'));
    const tokens: string[] = [];
    const vanta: LocalLambda = (_p, token) => {
      tokens.push(token ?? '');
      return Promise.resolve(null);
    };
    const efter: LocalLambda = (p) => Promise.resolve({ sag: p });
    const first = runner(dataDir, vanta, efter, 60);
    first.startExecution('e1', { a: 1 });
    await until(() => tokens.length === 1);
    first.close();

    const second = runner(dataDir, vanta, efter, 60);
    expect(second.resume()).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(tokens).toHaveLength(1);
    second.sendTaskSuccess(tokens[0]!, JSON.stringify({ utfall: 'godkand' }));
    await second.idle();
    const d = second.describeExecution(`${ARN.replace(':stateMachine:', ':execution:')}:e1`);
    expect(d['status']).toBe('SUCCEEDED');
    expect(JSON.parse(typeof d['output'] === 'string' ? d['output'] : '{}')).toMatchObject({
      beslut: { utfall: 'godkand' },
      avslut: { Payload: { sag: { Payload: { a: 1 } } } },
    });
    // Idempotent start of a finished execution is refused, as on AWS.
    expect(() => second.startExecution('e1', { a: 1 })).toThrow('Execution Already Exists');
  });

  it('replays a recorded timeout: the Catch path is taken again and the waiting Lambda is not re-run', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sfn-timeout-'));
    let vantaCalls = 0;
    let efterCalls = 0;
    const vanta: LocalLambda = () => {
      vantaCalls++;
      return Promise.resolve(null);
    };
    const hang: LocalLambda = () => {
      efterCalls++;
      return new Promise(() => undefined);
    };
    const first = runner(dataDir, vanta, hang);
    first.startExecution('e2', {});
    await until(() => efterCalls === 1);
    first.close();

    const second = runner(dataDir, vanta, (p) => Promise.resolve({ fick: p }));
    second.resume();
    await second.idle();
    expect(vantaCalls).toBe(1);
    const d = second.describeExecution(`${ARN.replace(':stateMachine:', ':execution:')}:e2`);
    expect(d['status']).toBe('SUCCEEDED');
    expect(JSON.parse(typeof d['output'] === 'string' ? d['output'] : '{}')).toMatchObject({
      fel: { Error: 'States.Timeout' },
    });
  });

  it('counts a replayed wait from when it began, not from the restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sfn-left-'));
    const first = runner(
      dataDir,
      () => Promise.resolve(null),
      () => Promise.resolve(1),
      2,
    );
    first.startExecution('e3', {});
    await new Promise((r) => setTimeout(r, 1500));
    first.close();
    const second = runner(
      dataDir,
      () => Promise.resolve(null),
      () => Promise.resolve(1),
      2,
    );
    const t0 = Date.now();
    second.resume();
    await second.idle();
    expect(Date.now() - t0).toBeLessThan(1500);
    const d = second.describeExecution(`${ARN.replace(':stateMachine:', ':execution:')}:e3`);
    expect(JSON.parse(typeof d['output'] === 'string' ? d['output'] : '{}')).toMatchObject({
      fel: { Error: 'States.Timeout' },
    });
  });

  it('times a wait out while its notify Lambda still runs, without an unhandled rejection', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sfn-slow-notify-'));
    // Vitest fails the run on an unhandled rejection: the timeout firing mid-notify used to be one.
    const slow: LocalLambda = () => new Promise((r) => setTimeout(() => r(null), 1800));
    const sfn = runner(dataDir, slow, (p) => Promise.resolve({ fick: p }), 1);
    sfn.startExecution('e4', {});
    await sfn.idle();
    const d = sfn.describeExecution(`${ARN.replace(':stateMachine:', ':execution:')}:e4`);
    expect(d['status']).toBe('SUCCEEDED');
    expect(JSON.parse(typeof d['output'] === 'string' ? d['output'] : '{}')).toMatchObject({
      fel: { Error: 'States.Timeout' },
    });
  });

  it('replays a wait whose time ran out while the stack was down, killed mid-notify: timed out, no mail sent now', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sfn-expired-'));
    let notifyCalls = 0;
    const hang: LocalLambda = () => {
      notifyCalls++;
      return new Promise(() => undefined);
    };
    const first = runner(dataDir, hang, () => Promise.resolve(1), 1);
    first.startExecution('e5', {});
    await until(() => notifyCalls === 1);
    first.kill();
    await new Promise((r) => setTimeout(r, 1100));
    const second = runner(dataDir, hang, () => Promise.resolve(1), 1);
    expect(second.resume()).toBe(1);
    await second.idle();
    expect(notifyCalls).toBe(1);
    const d = second.describeExecution(`${ARN.replace(':stateMachine:', ':execution:')}:e5`);
    expect(d['status']).toBe('SUCCEEDED');
    expect(JSON.parse(typeof d['output'] === 'string' ? d['output'] : '{}')).toMatchObject({
      fel: { Error: 'States.Timeout' },
    });
  });

  it('sets a journal that cannot be replayed aside with a Swedish log line and resumes the others', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sfn-trasig-'));
    const first = runner(
      dataDir,
      () => Promise.resolve(null),
      () => Promise.resolve(1),
      60,
    );
    first.startExecution('hel', {});
    await new Promise((r) => setTimeout(r, 50));
    first.close();
    const dir = path.join(dataDir, 'executions');
    writeFileSync(path.join(dir, 'trasig.json'), '{"name":"trasig","status":"RUNN');
    const lines: string[] = [];
    const second = new LocalStepFunctions(
      ARN,
      definition,
      { waitForToken: { Vanta: () => Promise.resolve(null) }, invoke: { Efter: () => Promise.resolve(1) } },
      { dataDir, taskTimeoutOverrideSeconds: { Vanta: 60 }, log: (_l, m) => lines.push(m) },
    );
    expect(second.resume()).toBe(1);
    expect(existsSync(path.join(dir, 'trasig.json'))).toBe(false);
    expect(readdirSync(path.join(dir, 'trasiga'))).toHaveLength(1);
    expect(lines).toEqual([
      expect.stringMatching(/^Granskningsjournalen trasig\.json kunde inte spelas upp .*flyttades till/),
    ]);
    second.close();
  });
});
