import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirBusyError } from '../../local/aws/instance.js';
import { startLocalStack, type LocalStack } from '../../local/aws/stack.js';
import { runDiariumCli } from '../../local/cli/diarium/main.js';
import { runSubmit } from '../../local/cli/submit.js';
import { syntheticReportDocx } from '../support/synthetic-report.js';

let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

describe('a local stack on non-default ports', () => {
  it('is found by the kansli tools through .data/stack.json, and a second start on its data is refused', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-hitta-'));
    stack = await startLocalStack({
      dataDir,
      ports: { smtp: 0, s3: 0, dynamodb: 0, ses: 0, http: 0, aws: 0 },
      log: () => undefined,
    });
    // The tools are given nothing but where the data is (and a relative file, from where they were called).
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'rapportflode-hitta-cwd-'));
    writeFileSync(
      path.join(cwd, 'Slutrapport.docx'),
      await syntheticReportDocx({ insatsnamn: 'Hittad', organisation: 'Portby kommun' }),
    );
    const env = { RAPPORTFLODE_DATA: dataDir, INIT_CWD: cwd };
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env };
    expect(await runSubmit(['Slutrapport.docx', '--json'], io), err.join('\n')).toBe(0);
    const { diarienummer } = JSON.parse(out[0] ?? '{}') as { diarienummer: string };
    expect(diarienummer).toMatch(/^SFG \d{2}-\d+\.\d+$/);
    expect(err[0]).toMatch(/^Skickad \(.+\); väntar på att rapporten tas om hand …$/);

    const listed: string[] = [];
    const year = new Date().getUTCFullYear();
    const code = await runDiariumCli(['list', '--from', `${year - 1}-01-01`, '--to', `${year + 1}-12-31`], {
      out: (t) => listed.push(t),
      err: (t) => listed.push(t),
      env,
      clock: () => new Date(),
    });
    expect(code, listed.join('\n')).toBe(0);
    expect(listed.join('\n')).toContain(diarienummer);

    await expect(startLocalStack({ dataDir, log: () => undefined })).rejects.toThrow(DataDirBusyError);
    await expect(startLocalStack({ dataDir, log: () => undefined })).rejects.toThrow(stack.urls.smtp);
  }, 240_000);
});
