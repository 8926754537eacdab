import { describe, expect, it } from 'vitest';
import type { Diarium } from '../../../domain/diarium/ports.js';
import { recordingIo } from '../../../test/support/cli-io.js';
import { COMMANDS, runDiariumCli } from './main.js';

function io() {
  // No command here reaches the diarium: a repository that is never called keeps DynamoDB out of it.
  const repo = new Proxy({} as Diarium, {
    get: () => () => Promise.reject(new Error('diariet används inte här')),
  });
  return recordingIo({ clock: () => new Date('2026-02-10T12:00:00Z'), repo });
}

describe('npm run diarium', () => {
  it('shows the overview in Swedish with exit code 0 for --help, listing every command but the old names', async () => {
    const t = io();
    expect(await runDiariumCli(['--help'], t.io)).toBe(0);
    const help = t.out.join('\n');
    for (const c of COMMANDS) expect(help).toContain(c.usage);
    expect(help).toContain('korrigera-ankomstdatum <diarienummer>');
    expect(help).toContain('frige <diarienummer>');
    expect(help).not.toMatch(/andra-ankomst|slapp/);
    expect(t.err).toEqual([]);
  });

  it('gives each command a --help that lists every flag it takes, with exit code 0', async () => {
    for (const c of COMMANDS) {
      const t = io();
      expect(await runDiariumCli([c.name, '--help'], t.io)).toBe(0);
      const help = t.out.join('\n');
      for (const flag of Object.keys(c.options)) expect(help, `${c.name} --${flag}`).toContain(`--${flag}`);
    }
  });

  it('still takes the old command names andra-ankomst and slapp', async () => {
    for (const [old, nytt] of [
      ['andra-ankomst', 'korrigera-ankomstdatum'],
      ['slapp', 'frige'],
    ] as const) {
      const t = io();
      expect(await runDiariumCli([old, '--help'], t.io)).toBe(0);
      expect(t.out.join('\n')).toContain(`npm run diarium -- ${nytt} <diarienummer>`);
    }
  });

  it('answers an unknown flag, a flag of another command or an unknown command with one Swedish line and 64', async () => {
    for (const argv of [['list', '--okand'], ['show', 'SFG 26-1.1', '--tid', 'x'], ['--okand'], ['lista']]) {
      const t = io();
      expect(await runDiariumCli(argv, t.io)).toBe(64);
      expect(t.out).toEqual([]);
      expect(t.err).toHaveLength(1);
      expect(t.err[0]).toMatch(/^(Okänd flagga|Okänt kommando) .*--help\.$/);
    }
    const t = io();
    expect(await runDiariumCli(['list', '--from'], t.io)).toBe(64);
    expect(t.err).toEqual(['Flaggan --from behöver ett värde. Se npm run diarium -- list --help.']);
  });

  it('shows the overview with exit code 64 when no command is given', async () => {
    const t = io();
    expect(await runDiariumCli([], t.io)).toBe(64);
    expect(t.out.join('\n')).toContain('Kommandon:');
  });
});
