import type { ReceiptVerdicts } from '../extraction/types.js';

/**
 * What the receiving server's verdicts mean for the ingest, as typed values: the decisions (quarantine, hold
 * for the kansli, where the kvittens goes) are made on these, the stored `flaggor` strings only show them.
 */
export interface Mottagningskontroll {
  /** SES found a virus: the mail is quarantined and its content never read. */
  virus: boolean;
  spam: boolean;
  /** The From: domain's DMARC check failed: the From: address may be forged. */
  dmarcFail: boolean;
}

/** `null`: an upload, which passed no mail server and so carries no verdicts. */
export function assessReceipt(verdicts: ReceiptVerdicts | null): Mottagningskontroll {
  return {
    virus: verdicts?.virus === 'FAIL',
    spam: verdicts?.spam === 'FAIL',
    dmarcFail: verdicts?.dmarc === 'fail',
  };
}

/** The diarium's display flags for the verdicts, in the order they have always been shown. */
export function receiptFlaggor(k: Mottagningskontroll): string[] {
  return [...(k.virus ? ['virus'] : []), ...(k.spam ? ['spam'] : []), ...(k.dmarcFail ? ['dmarc'] : [])];
}
