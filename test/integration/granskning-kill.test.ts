import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stateMachineDefinition } from '../../infra/definition.js';
import { LocalStepFunctions, type LocalLambda } from '../../local/aws/step-functions.js';
import { synthesize } from '../../local/aws/synth.js';

/**
 * The granskning state machine as synthesized, run by the local runner, killed at many points of a
 * granskning and restarted on the same journal. The kill is in-process (the runner is dropped without a final
 * journal write, as SIGKILL leaves it): a real process per kill point would not fit CI's budget. The Lambdas
 * are stand-ins with the domain's idempotency: a notify mails once per task token (the domain's `utfort`
 * marks), so a replay that loses its token shows up as a second mail.
 */

const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:Granskning';
const N = 'NotifieraBeredningsgrupp';
const P = 'Paminnelse';
const E = 'Eskalering';
const A = 'Avsluta';
/** Seconds: a wait meant to run out. A wait meant to get its decision has a minute, so load cannot time it out. */
const WAIT = 3;
const CHAIN = [N, P, E] as const;

/** Per state: short if the scenario lets it run out (every state before the one decided on), else long. */
function waitsFor(s: Scenario): Record<string, number> {
  const decidedAt = s.ends === 'inget-beslut' ? CHAIN.length : CHAIN.indexOf(s.decide?.on ?? N);
  return Object.fromEntries(CHAIN.map((state, i) => [state, i < decidedAt ? WAIT : 60]));
}

let definition: Record<string, unknown>;
beforeAll(() => {
  definition = stateMachineDefinition(synthesize().service);
}, 120_000);

type Point = `${'before' | 'after'}:${typeof N | typeof P | typeof E | typeof A}`;

interface Scenario {
  name: string;
  /** Kill when a Lambda reaches this point (before: it never runs; after: it ran, the journal never heard). */
  killAt?: Point;
  /** How many times to kill there (a replay killed again at the same point). */
  times?: number;
  /** Kill while the task of this state waits (notified, no decision yet). */
  killWaiting?: typeof N | typeof P | typeof E;
  /** Stay down this long (s) before the restart: a wait's time may run out meanwhile. */
  downFor?: number;
  /** Decide on the state's task: before the kill (it takes effect), after the restart, or during the downtime. */
  decide?:
    { on: typeof N | typeof P | typeof E; when: 'before-kill' | 'after-restart' | 'while-down' } | undefined;
  utfall?: 'godkand' | 'komplettering';
  /** Kill once more right after the restart, before the replay gets anywhere. */
  killOnResume?: boolean;
  /** The states whose mails must have gone out (once each), and the expected end. */
  mailed: string[];
  ends: 'godkand' | 'komplettering' | 'inget-beslut';
}

const scenarios: Scenario[] = [
  {
    name: '1 before notify',
    killAt: `before:${N}`,
    decide: { on: N, when: 'after-restart' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '2 during notify (mails out, journal not told)',
    killAt: `after:${N}`,
    decide: { on: N, when: 'after-restart' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '3 waiting for a decision',
    killWaiting: N,
    decide: { on: N, when: 'after-restart' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '4 after a decision, before finalize',
    killAt: `before:${A}`,
    decide: { on: N, when: 'before-kill' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '5 during finalize',
    killAt: `after:${A}`,
    decide: { on: N, when: 'before-kill' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '6 svarstid ran out while down',
    killWaiting: N,
    downFor: WAIT + 1,
    decide: { on: P, when: 'after-restart' },
    mailed: [N, P],
    ends: 'godkand',
  },
  {
    name: '7 before reminder',
    killAt: `before:${P}`,
    decide: { on: P, when: 'after-restart' },
    mailed: [N, P],
    ends: 'godkand',
  },
  {
    name: '8 during reminder',
    killAt: `after:${P}`,
    decide: { on: P, when: 'after-restart' },
    mailed: [N, P],
    ends: 'godkand',
  },
  {
    name: '9 reminder time ran out while down',
    killWaiting: P,
    downFor: WAIT + 1,
    decide: { on: E, when: 'after-restart' },
    mailed: [N, P, E],
    ends: 'godkand',
  },
  {
    name: '10 before escalation',
    killAt: `before:${E}`,
    decide: { on: E, when: 'after-restart' },
    mailed: [N, P, E],
    ends: 'godkand',
  },
  {
    name: '11 during escalation',
    killAt: `after:${E}`,
    decide: { on: E, when: 'after-restart' },
    mailed: [N, P, E],
    ends: 'godkand',
  },
  {
    name: '12 escalation time ran out while down',
    killWaiting: E,
    downFor: WAIT + 1,
    mailed: [N, P, E],
    ends: 'inget-beslut',
  },
  {
    name: '13 before notify, twice',
    killAt: `before:${N}`,
    times: 2,
    decide: { on: N, when: 'after-restart' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '14 during notify, twice',
    killAt: `after:${N}`,
    times: 2,
    decide: { on: N, when: 'after-restart' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '15 killed again right after the restart',
    killWaiting: N,
    killOnResume: true,
    decide: { on: N, when: 'after-restart' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '16 decision sent while down (retried after)',
    killWaiting: N,
    decide: { on: N, when: 'while-down' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '17 komplettering, before finalize',
    killAt: `before:${A}`,
    decide: { on: N, when: 'before-kill' },
    utfall: 'komplettering',
    mailed: [N],
    ends: 'komplettering',
  },
  {
    name: '18 during notify, svarstid ran out while down (the reported crash)',
    killAt: `after:${N}`,
    downFor: WAIT + 1,
    decide: { on: P, when: 'after-restart' },
    mailed: [N, P],
    ends: 'godkand',
  },
  {
    name: '19 before notify, svarstid ran out while down',
    killAt: `before:${N}`,
    downFor: WAIT + 1,
    decide: { on: P, when: 'after-restart' },
    mailed: [P],
    ends: 'godkand',
  },
  {
    name: '20 during finalize, twice',
    killAt: `after:${A}`,
    times: 2,
    decide: { on: N, when: 'before-kill' },
    mailed: [N],
    ends: 'godkand',
  },
  {
    name: '21 during escalation, its time ran out while down',
    killAt: `after:${E}`,
    downFor: WAIT + 1,
    mailed: [N, P, E],
    ends: 'inget-beslut',
  },
  { name: '22 after the end', mailed: [N], decide: { on: N, when: 'before-kill' }, ends: 'godkand' },
];

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
const never = new Promise<never>(() => undefined);

async function run(s: Scenario) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'granskning-kill-'));
  const logLines: string[] = [];
  /** Mails per state, once per task token (what the domain's idempotency guarantees). */
  const tokensMailed = new Map<string, Set<string>>();
  const waiting = new Map<string, string>();
  let finalizeRuns = 0;
  let kills = 0;
  let runner!: LocalStepFunctions;

  const waits = waitsFor(s);
  const killHere = (point: Point) => s.killAt === point && kills < (s.times ?? 1);
  /** The runner is dead and not yet restarted. */
  let down = false;
  const kill = () => {
    kills++;
    down = true;
    runner.kill();
  };
  const notify =
    (state: string): LocalLambda =>
    async (_params, token) => {
      if (killHere(`before:${state}` as Point)) {
        kill();
        return never; // the process is gone: this Lambda never runs
      }
      await sleep(0.05);
      const sent = tokensMailed.get(state) ?? new Set<string>();
      sent.add(token ?? '');
      tokensMailed.set(state, sent);
      waiting.set(state, token ?? '');
      if (killHere(`after:${state}` as Point)) kill();
      return null;
    };
  const finalize: LocalLambda = async (params) => {
    if (killHere(`before:${A}`)) {
      kill();
      return never;
    }
    finalizeRuns++;
    await sleep(0.05);
    if (killHere(`after:${A}`)) kill();
    const beslut = /"beslut":\{"utfall":"([\w-]+)"/.exec(JSON.stringify(params))?.[1] ?? 'saknas';
    return { utfall: beslut };
  };
  const start = () => {
    runner = new LocalStepFunctions(
      ARN,
      definition,
      { waitForToken: { [N]: notify(N), [P]: notify(P), [E]: notify(E) }, invoke: { [A]: finalize } },
      {
        dataDir,
        taskTimeoutOverrideSeconds: waits,
        log: (_l, m) => logLines.push(m),
      },
    );
    return runner;
  };
  const until = async (check: () => boolean, what: string, seconds = 20) => {
    for (let i = 0; i < seconds * 20 && !check(); i++) await sleep(0.05);
    if (!check()) throw new Error(`${s.name}: väntade förgäves på ${what}`);
  };
  const decide = (state: string) => {
    try {
      runner.sendTaskSuccess(waiting.get(state)!, JSON.stringify({ utfall: s.utfall ?? 'godkand' }));
    } catch (err) {
      throw new Error(
        `${s.name}: beslutet på ${state} togs inte emot (${String(err)}) ${readdirSync(
          path.join(dataDir, 'executions'),
        )
          .map((f) => (f.endsWith('.json') ? readFileSync(path.join(dataDir, 'executions', f), 'utf8') : f))
          .join(' ')} token ${waiting.get(state)}`,
      );
    }
  };
  const restart = async () => {
    await sleep(s.downFor ?? 0.1);
    down = false;
    start().resume();
    if (s.killOnResume && kills < 2) {
      kill();
      await sleep(0.1);
      down = false;
      start().resume();
    }
  };
  const desc = () => runner.describeExecution(`${ARN.replace(':stateMachine:', ':execution:')}:g`);

  start().startExecution('g', { granskningId: 'g', diarienummer: 'SFG 26-1.1' });
  // Kills at a Lambda's point happen inside the Lambda; the loop below restarts after each.
  const tryDecision = async () => {
    const d = s.decide;
    if (!d || d.when !== 'before-kill') return;
    await until(() => waiting.has(d.on), `mail for ${d.on}`);
    decide(d.on);
  };
  await tryDecision();
  if (s.killWaiting) {
    await until(() => waiting.has(s.killWaiting!), `wait on ${s.killWaiting}`);
    kill();
    if (s.decide?.when === 'while-down') {
      // Nobody takes the token while the runner is down; the sender keeps it and retries after the restart.
      expect(() => decide(s.decide!.on)).toThrow('Task does not exist');
    }
  }
  const decisionDue = (): boolean => {
    const d = s.decide;
    return !!d && d.when !== 'before-kill' && waiting.has(d.on) && !down;
  };
  for (;;) {
    await until(
      () => down || desc()['status'] !== 'RUNNING' || decisionDue(),
      'a kill, a decision due or the end',
      30,
    );
    if (down) {
      await restart();
      continue;
    }
    if (desc()['status'] !== 'RUNNING') break;
    decide(s.decide!.on);
    s.decide = undefined;
  }
  await runner.idle();
  // A kill after the end: nothing is replayed.
  if (s.name.startsWith('22')) {
    runner.kill();
    expect(start().resume()).toBe(0);
  }
  const final = desc();
  return { final, tokensMailed, finalizeRuns, kills, logLines, dataDir };
}

describe('a granskning killed at any point and restarted', () => {
  it(`ends exactly once, loses no decision and mails no one twice (${scenarios.length} kill points)`, async () => {
    const results = await Promise.all(scenarios.map(async (s) => ({ s: { ...s }, r: await run({ ...s }) })));
    const table: string[] = [];
    for (const { s, r } of results) {
      table.push(
        `${s.name}: ${JSON.stringify(r.final['status'])}, ${s.ends}, kills ${r.kills}, finalize ${r.finalizeRuns}`,
      );
      expect(r.final['status'], s.name).toBe('SUCCEEDED');
      // The decision taken (or IngetBeslut's) is the one the granskning ended with.
      const end = JSON.parse(typeof r.final['output'] === 'string' ? r.final['output'] : '{}') as unknown;
      expect(end, s.name).toMatchObject({
        beslut: { utfall: s.ends },
        avslut: { resultat: { utfall: s.ends } },
      });
      // One mail round per state visited, each with the one token its wait kept across the restarts.
      expect([...r.tokensMailed.keys()].sort(), s.name).toEqual([...s.mailed].sort());
      for (const [state, tokens] of r.tokensMailed) expect(tokens.size, `${s.name} ${state}`).toBe(1);
      // Finalize runs again only if it was killed after running (its effects are idempotent in the domain).
      const rerunsAllowed = s.killAt === `after:${A}` ? (s.times ?? 1) : 0;
      expect(r.finalizeRuns, s.name).toBe(1 + rerunsAllowed);
      expect(
        r.logLines.filter((l) => /misslyckades|kunde inte/.test(l)),
        s.name,
      ).toEqual([]);
    }
    console.log(table.join('\n'));
  }, 150_000);

  it('sets a journal that cannot be replayed aside and keeps the others running', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'granskning-kill-trasig-'));
    const lines: string[] = [];
    const make = () =>
      new LocalStepFunctions(
        ARN,
        definition,
        {
          waitForToken: {
            [N]: () => Promise.resolve(null),
            [P]: () => Promise.resolve(null),
            [E]: () => Promise.resolve(null),
          },
          invoke: { [A]: () => Promise.resolve({ utfall: 'inget-beslut' }) },
        },
        { dataDir, taskTimeoutOverrideSeconds: { [N]: 60, [P]: 60, [E]: 60 }, log: (_l, m) => lines.push(m) },
      );
    const first = make();
    first.startExecution('hel', {});
    first.startExecution('trasig', {});
    await sleep(0.2);
    first.kill();
    writeFileSync(path.join(dataDir, 'executions', 'trasig.json'), '{"name":"trasig","tasks":[{"sta');
    const second = make();
    expect(second.resume()).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^Granskningsjournalen trasig\.json kunde inte spelas upp/),
    ]);
    expect(readdirSync(path.join(dataDir, 'executions', 'trasiga'))).toHaveLength(1);
    second.close();
  });
});
