import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../local/aws/instance.js';

const TSX = path.resolve('node_modules/tsx/dist/cli.mjs');

/** A PATH with node and nothing else: no java on it. */
function pathWithoutJava(): string {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'utan-java-'));
  symlinkSync(process.execPath, path.join(bin, 'node'));
  return bin;
}

const ANY_PORT = {
  SMTP_PORT: '0',
  S3_PORT: '0',
  DYNAMODB_PORT: '0',
  SES_PORT: '0',
  HTTP_PORT: '0',
  AWS_API_PORT: '0',
};

function npmStart(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, 'local/aws/start.ts', ...args], {
      env: {
        HOME: os.homedir(),
        PATH: process.env['PATH'] ?? '',
        RAPPORTFLODE_DATA: mkdtempSync(path.join(os.tmpdir(), 'start-cli-')),
        ...ANY_PORT,
        ...env,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const noTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('npm start', () => {
  it('answers --help in Swedish with exit code 0, and an unknown flag with 64', async () => {
    const help = await npmStart(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.out).toContain('Användning: npm start');
    for (const v of ['SMTP_PORT', 'HTTP_PORT', 'RAPPORTFLODE_DATA', 'LOCAL_IAM'])
      expect(help.out).toContain(v);
    const bad = await npmStart(['--okand'], {});
    expect(bad.code).toBe(64);
    expect(bad.err.trim()).toBe('Okänd flagga --okand. Se npm start -- --help.');
  }, 60_000);

  it('without Java says how to install it, without a stack trace', async () => {
    const r = await npmStart([], { PATH: pathWithoutJava() });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(/^Java saknas: DynamoDB Local behöver Java .*apt-get install/);
    noTrace(r.err);
  }, 120_000);

  it('on a busy port says so in one Swedish line, without a stack trace', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = await npmStart([], { HTTP_PORT: String(port) });
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toEqual([expect.stringContaining(`Porten ${port} används redan`)]);
    } finally {
      holder.close();
    }
  }, 60_000);

  it('refuses a second start on the same data, naming the running instance’s addresses', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'start-cli-upptagen-'));
    const lock = lockDataDir(dir);
    lock.publish({
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
    });
    try {
      const r = await npmStart([], { RAPPORTFLODE_DATA: dir });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^En lokal stack körs redan på samma data/);
      expect(r.err).toContain('smtp://127.0.0.1:2626');
      expect(r.err).toContain('http://127.0.0.1:3101');
      noTrace(r.err);
    } finally {
      lock.release();
    }
  }, 60_000);
});
