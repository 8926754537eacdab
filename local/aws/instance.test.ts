import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir, readStackInfo } from './instance.js';

const info = {
  region: 'eu-west-1',
  smtp: 'smtp://127.0.0.1:2626',
  http: 'http://127.0.0.1:3101',
  outbox: 'http://127.0.0.1:8106/',
  s3: 'http://127.0.0.1:4670',
  dynamodb: 'http://127.0.0.1:8101',
  aws: 'http://127.0.0.1:4111',
  table: 'rapportflode-diarium',
  bucket: 'rapportflode-inbound',
  eventBus: 'rapportflode-lokal',
};

/** A pid that surely belongs to no process: one that just ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
  return Number(r.stdout.toString().trim());
}

describe('the lock on the local stack data', () => {
  it('refuses a second stack on the same data, naming the running one’s addresses', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lock-'));
    const first = lockDataDir(dir);
    first.publish(info);
    expect(readStackInfo(dir)).toMatchObject({ pid: process.pid, smtp: info.smtp, dataDir: dir });
    let refused: unknown;
    try {
      lockDataDir(dir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirBusyError);
    const message = (refused as Error).message;
    expect(message).toMatch(/^En lokal stack körs redan på samma data/);
    for (const url of [info.smtp, info.http, info.dynamodb, info.aws]) expect(message).toContain(url);

    first.release();
    expect(existsSync(path.join(dir, 'stack.json'))).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over the lock of a stack that was killed, and ignores its stale addresses', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lock-stale-'));
    const pid = deadPid();
    writeFileSync(path.join(dir, 'stack.lock'), JSON.stringify({ pid, startedAt: '2026-11-30T10:00:00Z' }));
    writeFileSync(
      path.join(dir, 'stack.json'),
      JSON.stringify({ pid, startedAt: '2026-11-30T10:00:00Z', dataDir: dir, ...info }),
    );
    expect(readStackInfo(dir)).toBeNull();
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(path.join(dir, 'stack.lock'), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    lock.release();
  });
});
