import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Stoppers } from './lifecycle.js';
import { reservePort } from './ports.js';
import { startSesOutbox } from './ses-outbox.js';

const mail = (id: string) => ({
  messageId: id,
  from: 'rapportflode@finsamgavleborg.se',
  destination: { to: ['anna@kommun.example'], cc: [], bcc: [] },
  subject: `Kvittens ${id}`,
  body: { text: 'Tack' },
  attachments: [],
  at: 1,
});

describe('the local SES outbox', () => {
  it('keeps the sent mail across a restart of the process', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'utkorg-'));
    // What an earlier process sent (the last line cut short by a kill).
    writeFileSync(
      path.join(dataDir, 'utkorg.jsonl'),
      `${JSON.stringify(mail('tidigare'))}\n{"messageId":"av`,
    );
    const stoppers = new Stoppers();
    const url = await startSesOutbox({
      reservation: await reservePort(undefined),
      dataDir,
      defer: stoppers.defer,
    });
    try {
      const store = (await (await fetch(`${url}/store`)).json()) as { emails: { messageId: string }[] };
      expect(store.emails.map((m) => m.messageId)).toEqual(['tidigare']);
      // A mail sent now is kept for the next process.
      const ses = createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as {
        saveEmail: (m: unknown) => void;
      };
      ses.saveEmail(mail('nu'));
      const kept = readFileSync(path.join(dataDir, 'utkorg.jsonl'), 'utf8');
      expect(kept.split('\n').filter(Boolean).slice(-1)).toEqual([JSON.stringify(mail('nu'))]);
    } finally {
      await stoppers.stopAll();
    }
  });
});
