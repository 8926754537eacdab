import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { composeMail } from '../../test/fixtures/extraction/generate.js';
import { Deadline } from './deadline.js';

// A slow attachment without a slow test: reading a file named "seg…" moves the clock on by one second before the
// real extraction runs, as a long OCR would.
vi.mock('./document.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./document.js')>();
  return {
    ...real,
    extractDocument: (...args: Parameters<typeof real.extractDocument>) => {
      if (args[1].startsWith('seg')) vi.setSystemTime(Date.now() + 1000);
      return real.extractDocument(...args);
    },
  };
});

const { extractMail } = await import('./mail.js');

const pickReport = (candidates: { text: string }[]): number =>
  candidates.findIndex((c) => c.text.includes('Insatsens namn'));

const from = { name: 'Åsa Öberg', address: 'asa@ockelbo.example' };
const to = 'kontakt@finsamgavleborg.se';
const REPORT = 'Slutrapport\nInsatsens namn: Ödmården';

describe('one time budget per mail', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops reading at the mail budget and names every attachment not read in one problem', async () => {
    const raw = await composeMail({
      from,
      to,
      subject: 'Slutrapport',
      text: 'Se bifogade filer.',
      attachments: [
        { filename: 'bilaga.txt', content: 'Budget och underlag' },
        { filename: 'seg-1.pdf', content: 'skannad sida ett' },
        { filename: 'seg-2.pdf', content: 'skannad sida två' },
        { filename: 'Slutrapport.txt', content: REPORT },
      ],
    });
    // 1.5 s: the first slow file ends within it, the second is cut off, the report after it is never reached.
    const mail = await extractMail(raw, { pickReport, limits: { mailTimeBudgetMs: 1500 } });
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      'bilaga.txt',
      'seg-1.pdf',
      'seg-2.pdf',
      'Slutrapport.txt',
    ]);
    expect(mail.report).toBeNull();
    expect(mail.problems.map((p) => p.kod)).toEqual(['TIDSGRANS']);
    expect(mail.problems[0]!.meddelande).toBe(
      'Bilagorna ”seg-2.pdf” och ”Slutrapport.txt” hann inte läsas inom tidsgränsen för ett meddelande och har ' +
        'inte tolkats. Skicka slutrapporten i ett eget e-postmeddelande, som Word (.docx) eller som en PDF sparad ' +
        'direkt från Word.',
    );
  });

  it('keeps a report read in time and still says which attachment was not read', async () => {
    const raw = await composeMail({
      from,
      to,
      subject: 'Slutrapport',
      text: 'Se bifogade filer.',
      attachments: [
        { filename: 'Slutrapport.txt', content: REPORT },
        { filename: 'seg.pdf', content: 'skannad sida' },
        { filename: 'bilaga.txt', content: 'Budget' },
      ],
    });
    const mail = await extractMail(raw, { pickReport, limits: { mailTimeBudgetMs: 500 } });
    expect(mail.report).toMatchObject({ source: 'bilaga', filename: 'Slutrapport.txt' });
    expect(mail.problems.map((p) => [p.kod, p.fil])).toEqual([['TIDSGRANS', undefined]]);
    expect(mail.problems[0]!.meddelande).toMatch(/^Bilagorna ”seg\.pdf” och ”bilaga\.txt” hann inte läsas/);
  });

  it('gives each document at most its own budget within the mail budget', () => {
    const mailBudget = new Deadline(10_000);
    expect(mailBudget.within(1_000).remainingMs()).toBeLessThanOrEqual(1_000);
    vi.setSystemTime(Date.now() + 9_500);
    expect(mailBudget.within(1_000).remainingMs()).toBeLessThanOrEqual(500);
    vi.setSystemTime(Date.now() + 1_000);
    expect(mailBudget.expired()).toBe(true);
    expect(mailBudget.within(1_000).expired()).toBe(true);
  });
});

describe('Deadline.onExpire', () => {
  it('calls back when the budget passes, and not once cancelled', async () => {
    const fired: string[] = [];
    const deadline = new Deadline(20);
    deadline.onExpire(() => fired.push('a'));
    const cancel = deadline.onExpire(() => fired.push('b'));
    cancel();
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toEqual(['a']);
  });
});
