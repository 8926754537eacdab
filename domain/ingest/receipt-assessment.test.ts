import { describe, expect, it } from 'vitest';
import { assessReceipt, receiptFlaggor } from './receipt-assessment.js';

describe('the receiving server verdicts', () => {
  it('are decided on as typed values and shown as flags', () => {
    const k = assessReceipt({ spam: 'FAIL', virus: 'PASS', dmarc: 'fail', spf: 'pass' });
    expect(k).toEqual({ virus: false, spam: true, dmarcFail: true });
    expect(receiptFlaggor(k)).toEqual(['spam', 'dmarc']);
  });

  it('hold nothing against an upload, which passed no mail server', () => {
    expect(receiptFlaggor(assessReceipt(null))).toEqual([]);
  });

  it('quarantine on a virus verdict only, not on an unscanned one', () => {
    expect(assessReceipt({ virus: 'FAIL' }).virus).toBe(true);
    expect(assessReceipt({ virus: 'PROCESSING_FAILED' }).virus).toBe(false);
  });
});
