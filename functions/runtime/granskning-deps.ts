import type { GranskningDeps } from '../../domain/granskning/use-cases.js';
import type { MailSender } from '../../domain/diarium/ports.js';
import type { DocumentFiler } from '../../domain/document-archive.js';
import type { WorkflowCallback } from '../../domain/granskning/ports.js';
import type { BeslutPolicy, Granskare } from '../../domain/granskning/types.js';
import {
  DEFAULT_BESLUT_POLICY,
  DEFAULT_KANSLI_EMAIL,
  DEFAULT_LINK_TTL_SECONDS,
  DEFAULT_PUBLIC_BASE_URL,
} from '../../domain/defaults.js';
import { makeDocumentClient } from '../adapters/dynamo-client.js';
import { DynamoDiariumRepository } from '../adapters/dynamo-diarium/repository.js';
import { DynamoGranskningRepository } from '../adapters/dynamo-granskning-repository.js';
import { awsClientConfig, type AwsSettings } from './aws-clients.js';

export interface GranskningEnv extends AwsSettings {
  TABLE_NAME: string;
  DIARIUM_SERIE: string;
  MAIL_FROM?: string;
  PUBLIC_BASE_URL?: string;
  BEREDNINGSGRUPP?: Granskare[];
  FORBUNDSCHEF_EMAIL?: string;
  KANSLI_EMAIL?: string;
  LINK_TTL_SECONDS?: number;
  BESLUT_POLICY?: BeslutPolicy;
  BEREDNINGSGRUPP_FRANVARANDE?: string[];
}

/** A member is absent when flagged in the group itself or named (by id or e-mail) in the absence list. */
export function applyFranvaro(grupp: Granskare[], franvarande: string[]): Granskare[] {
  const borta = new Set(franvarande.map((f) => f.toLowerCase()));
  return grupp.map((g) =>
    borta.has(g.id.toLowerCase()) || borta.has(g.epost.toLowerCase()) ? { ...g, franvarande: true } : g,
  );
}

const noMail: MailSender = {
  send: () => Promise.reject(new Error('Den här funktionen skickar ingen e-post')),
};
const noDocuments: DocumentFiler = {
  file: () => Promise.reject(new Error('Den här funktionen lagrar inga dokument')),
};
const noCallback: WorkflowCallback = {
  sendSuccess: () => Promise.reject(new Error('Den här funktionen återupptar inga arbetsflöden')),
};

/**
 * Adapters for the granskning use cases. The SES, Step Functions and S3 clients are passed in by the functions
 * that use them, so a function that never mails (beslut) does not carry the SES client in its bundle.
 */
export function buildGranskningDeps(
  c: GranskningEnv,
  clients: { mailer?: MailSender; callback?: WorkflowCallback; documents?: DocumentFiler } = {},
): GranskningDeps {
  const db = makeDocumentClient(awsClientConfig(c, 'DYNAMODB'));
  const diarium = new DynamoDiariumRepository(db, { tableName: c.TABLE_NAME, serie: c.DIARIUM_SERIE });
  return {
    diarium,
    granskningar: new DynamoGranskningRepository(db, c.TABLE_NAME),
    mailer: clients.mailer ?? noMail,
    skickadeMail: diarium,
    callback: clients.callback ?? noCallback,
    documents: clients.documents ?? noDocuments,
    clock: () => new Date(),
    config: {
      beredningsgrupp: applyFranvaro(c.BEREDNINGSGRUPP ?? [], c.BEREDNINGSGRUPP_FRANVARANDE ?? []),
      policy: c.BESLUT_POLICY ?? DEFAULT_BESLUT_POLICY,
      publicBaseUrl: c.PUBLIC_BASE_URL ?? DEFAULT_PUBLIC_BASE_URL,
      linkTtlSeconds: c.LINK_TTL_SECONDS ?? DEFAULT_LINK_TTL_SECONDS,
      forbundschefEmail: c.FORBUNDSCHEF_EMAIL ?? c.KANSLI_EMAIL ?? DEFAULT_KANSLI_EMAIL,
      kansliEmail: c.KANSLI_EMAIL ?? DEFAULT_KANSLI_EMAIL,
    },
  };
}
