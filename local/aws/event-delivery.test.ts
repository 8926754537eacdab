import { readFileSync } from 'node:fs';
import path from 'node:path';
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { matches } from './aws-api-server.js';
import { appBusRules, sesRules } from './event-delivery.js';
import { synthesize } from './synth.js';
import type { MailHandelseUtfall } from '../../domain/diarium/mail-handelse.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../events/fixtures', name), 'utf8'),
  ) as Record<string, unknown>;

describe('the local bus reads the rules of the synthesized service stack', () => {
  const { service } = synthesize();
  const targeted: string[] = [];
  const ses = sesRules(
    service,
    middy((e: unknown): Promise<{ status: MailHandelseUtfall }> => {
      targeted.push((e as { id: string }).id);
      return Promise.resolve({ status: 'okand' });
    }),
  );
  const app = appBusRules(
    service,
    middy((): Promise<{ status: 'startad' | 'fanns-redan' | 'ej-aktuell' }> =>
      Promise.resolve({ status: 'ej-aktuell' }),
    ),
  );

  it('delivers an SES bounce or complaint to mail-handelse, and nothing else there', async () => {
    expect(ses).toHaveLength(1);
    const rule = ses[0]!;
    for (const name of ['ses-email-bounced.json', 'ses-email-complaint.json']) {
      const event = fixture(name);
      expect(matches(rule.pattern, event), name).toBe(true);
      await rule.target(event as never);
    }
    expect(targeted).toHaveLength(2);
    expect(matches(rule.pattern, fixture('handling-diarieford.json'))).toBe(false);
  });

  it('keeps the SES rule away from start-granskning', () => {
    for (const rule of app) expect(matches(rule.pattern, fixture('ses-email-bounced.json'))).toBe(false);
    expect(app.some((r) => matches(r.pattern, fixture('handling-diarieford.json')))).toBe(true);
  });
});
