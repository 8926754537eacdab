import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDiariumSok } from '../../functions/adapters/dynamo-diarium/sok.js';
import { diariumTable } from '../../functions/adapters/dynamo-diarium/table.js';
import { keys } from '../../functions/adapters/dynamo-keys.js';
import { runListindex } from '../../infra/scripts/listindex.js';
import { LOCAL_CREDENTIALS } from '../../local/aws/dynamodb-local.js';
import { fakeIngest, ingestNow, startDiariumDb, type DiariumDb } from './diarium-support.js';
import { mailFactory } from './kansli-support.js';

let db: DiariumDb;

beforeAll(async () => {
  db = await startDiariumDb();
});

afterAll(async () => {
  await db?.stop();
});

const mail = mailFactory('li', 'Indexinsats');

/** The script with the SDK's own configuration from the environment, as a deploying role's shell has it. */
async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    AWS_ENDPOINT_URL_DYNAMODB: db.local.endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await runListindex(argv, {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      env: process.env,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  }
}

describe('npm run listindex:aws (the list index backfill of a deploy)', () => {
  it('writes the list items of handlingar registered before the index, once', async () => {
    const table = await db.newTable();
    const repo = db.repo(table);
    const ingest = fakeIngest(repo);
    const registrerade = [];
    for (let i = 0; i < 3; i++) registrerade.push(await ingestNow(ingest.deps, ingest.deliver(mail())));
    // As before the index existed: the handlingar without their list items.
    const doc = db.doc();
    for (const r of registrerade) {
      const n = r.handling.handlingsnummer;
      await doc.send(new DeleteCommand({ TableName: table, Key: keys.listrad(r.handling.arende, n) }));
    }
    const sok = new DynamoDiariumSok(diariumTable(doc, { tableName: table }));
    const idag = new Date().toISOString().slice(0, 10);
    const fran = `${idag.slice(0, 4)}-01-01`;
    expect(await sok.listRader(fran, idag)).toEqual([]);

    const forsta = await run(['--tabell', table, '--from', fran]);
    expect(forsta).toMatchObject({ code: 0, err: '' });
    expect(forsta.out).toContain('Listposter skrivna: 3; fanns redan: 0');
    const rader = await sok.listRader(fran, idag);
    expect(rader.map((r) => r.diarienummer).sort()).toEqual(
      registrerade.map((r) => r.handling.diarienummer).sort(),
    );

    const igen = await run(['--tabell', table, '--from', fran]);
    expect(igen.out).toContain('Listposter skrivna: 0; fanns redan: 3');
  });

  it('answers --help, a missing table name and an unknown table in Swedish, without a stack trace', async () => {
    const hjalp = await run(['--help']);
    expect(hjalp.code).toBe(0);
    expect(hjalp.out).toContain('--tabell');
    const utan = await run([]);
    expect(utan.code).toBe(64);
    expect(utan.err).toContain('Ange --tabell');
    const okand = await run(['--tabell', 'finns-inte']);
    expect(okand.code).toBe(1);
    expect(okand.err).toContain('Tabellen "finns-inte"');
    expect(okand.err).not.toMatch(/\n\s+at /);
  });
});
