import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { GranskningDeps } from '../../domain/granskning/use-cases.js';
import type { BeslutPolicy, Granskare } from '../../domain/granskning/types.js';
import { makeDocumentClient } from './adapters/dynamo-client.js';
import { DynamoDiariumRepository } from './adapters/dynamo-diarium-repository.js';
import { DynamoGranskningRepository } from './adapters/dynamo-granskning-repository.js';
import { SesMailSender } from './adapters/ses-mail-sender.js';
import { SfnWorkflow } from './adapters/sfn-workflow.js';

export interface GranskningEnv {
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

/** Adapters for the granskning use cases; functions that do not mail get a sender that refuses. */
export function buildGranskningDeps(c: GranskningEnv): GranskningDeps {
  const db = makeDocumentClient();
  const diarium = new DynamoDiariumRepository(db, { tableName: c.TABLE_NAME });
  diarium.setSeries([c.DIARIUM_SERIE]);
  return {
    diarium,
    granskningar: new DynamoGranskningRepository(db, c.TABLE_NAME),
    mailer: c.MAIL_FROM
      ? new SesMailSender(new SESv2Client({}), c.MAIL_FROM)
      : { send: () => Promise.reject(new Error('Den här funktionen skickar ingen e-post')) },
    callback: new SfnWorkflow(new SFNClient({}), null),
    clock: () => new Date(),
    config: {
      beredningsgrupp: applyFranvaro(c.BEREDNINGSGRUPP ?? [], c.BEREDNINGSGRUPP_FRANVARANDE ?? []),
      policy: c.BESLUT_POLICY ?? { typ: 'forsta' },
      publicBaseUrl: c.PUBLIC_BASE_URL ?? 'http://localhost',
      linkTtlSeconds: c.LINK_TTL_SECONDS ?? 14 * 86_400,
      forbundschefEmail: c.FORBUNDSCHEF_EMAIL ?? c.KANSLI_EMAIL ?? 'kontakt@finsamgavleborg.se',
      kansliEmail: c.KANSLI_EMAIL ?? 'kontakt@finsamgavleborg.se',
    },
  };
}
