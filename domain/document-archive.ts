/**
 * What the domain asks of the inbound bucket beyond reading an object: filing a document by what it is and
 * listing what arrived by where it came from. Where that lands (the key layout) is the adapter's business
 * (events/storage-layout.ts); the domain never builds or matches a key.
 */

/** Where an arrived object came from; the same words as a handling's `kalla`. */
export type Inkorg = 'epost' | 'uppladdning';
export const INKORGAR: readonly Inkorg[] = ['epost', 'uppladdning'];

/** Where a document is filed: among the handlingar, in quarantine, or as a granskning's beslut. */
export type Arkiv = 'handling' | 'karantan' | 'beslut';

export interface ArkivDokument {
  sha256: string;
  filnamn: string;
  bytes: Uint8Array;
  contentType: string;
}

export interface DocumentFiler {
  /** Files a document (idempotent: content-addressed, so a retry writes the same object); returns its key. */
  file(arkiv: Arkiv, dokument: ArkivDokument): Promise<string>;
}
export interface IncomingLister {
  /** Every object still in an inbox (arrived, not yet taken out by its ingest), with when it was stored. */
  listIncoming(inkorg: Inkorg): Promise<{ key: string; lastModified: string }[]>;
}
/**
 * Takes a processed object out of its inbox once its handling is registered and answered and its bytes are
 * filed under retention: the inbox then holds only what is still to do, so reconciliation's listing stays as
 * small as the backlog. On the versioned bucket the arrived version stays (a delete marker hides it).
 */
export interface IncomingRemover {
  removeIncoming(key: string): Promise<void>;
}
/** A stored object as the event (or a read) named it; `versionId` null means the current version. */
export interface ObjectRef {
  key: string;
  versionId: string | null;
}
export interface RecordRetention {
  /**
   * Puts an object that arrived without retention (raw mail written by SES, a kansli upload) under the records
   * retention. Idempotent: a retention already in place is kept if it runs longer.
   */
  retain(object: ObjectRef): Promise<void>;
}
export type DocumentArchive = DocumentFiler & IncomingLister & IncomingRemover & RecordRetention;
