import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ArendeLog,
  ArendeTarget,
  Diarium,
  DiariumReader,
  FlyttLage,
  FlyttPlan,
  HandlingChange,
  HandlingFlytt,
  HandlingRegistry,
  ImportArende,
  KvittensClaims,
  LogEvent,
  MailSlag,
  NewHandling,
  NotisClaims,
  NotisSlag,
  RegisterResult,
  SkickadMail,
  SkickadeMail,
} from '../../../domain/diarium/ports.js';
import type { Arende, AuditEntry, Handling, Insats } from '../../../domain/diarium/types.js';
import { DynamoArendeLog } from './audit-log.js';
import { DynamoHandlingFlytt } from './flytt.js';
import { DynamoInsatsRegister } from './insatser.js';
import { DynamoKvittensClaims } from './kvittens.js';
import { DynamoNotisClaims } from './notiser.js';
import { DynamoSkickadeMail } from './skickade-mail.js';
import { DynamoDiariumReader } from './reads.js';
import { DynamoHandlingRegistry } from './registration.js';
import { diariumTable, type DynamoDiariumOptions } from './table.js';

export { KVITTENS_CLAIM_MS } from './kvittens.js';
export type { DynamoDiariumOptions } from './table.js';

/**
 * The whole diarium on one table, for wiring: the parts share the table and the log heads this process wrote.
 * Use cases take only the ports they use; this passes for any of them.
 */
export class DynamoDiariumRepository implements Diarium {
  readonly registry: HandlingRegistry;
  readonly log: ArendeLog;
  readonly kvittens: KvittensClaims;
  readonly notiser: NotisClaims;
  readonly reader: DiariumReader;
  readonly insatser: DynamoInsatsRegister;
  readonly skickadeMail: SkickadeMail;
  readonly flytt: HandlingFlytt;

  constructor(db: DynamoDBDocumentClient, opts: DynamoDiariumOptions) {
    const t = diariumTable(db, opts);
    const log = new DynamoArendeLog(t);
    const reader = new DynamoDiariumReader(t);
    this.log = log;
    this.reader = reader;
    this.registry = new DynamoHandlingRegistry(t, log, reader);
    this.kvittens = new DynamoKvittensClaims(t, log);
    this.notiser = new DynamoNotisClaims(t);
    this.insatser = new DynamoInsatsRegister(t);
    this.skickadeMail = new DynamoSkickadeMail(t);
    this.flytt = new DynamoHandlingFlytt(t, log);
  }

  flyttaHandling(
    diarienummer: string,
    tillArende: string,
    planera: (lage: FlyttLage) => FlyttPlan,
  ): Promise<{ stubb: Handling; flyttad: Handling }> {
    return this.flytt.flyttaHandling(diarienummer, tillArende, planera);
  }

  registerHandling(
    target: ArendeTarget,
    handling: NewHandling,
    sourceKey: string,
    opts?: { kvittensClaim?: string },
  ): Promise<RegisterResult> {
    return this.registry.registerHandling(target, handling, sourceKey, opts);
  }
  findBySource(sourceKey: string): Promise<Handling | null> {
    return this.registry.findBySource(sourceKey);
  }
  importArende(arende: ImportArende, av: string): Promise<{ arende: Arende; skapad: boolean }> {
    return this.registry.importArende(arende, av);
  }

  updateHandling(
    diarienummer: string,
    change: HandlingChange,
    log: LogEvent,
    guard?: (current: Handling) => void,
  ): Promise<Handling> {
    return this.log.updateHandling(diarienummer, change, log, guard);
  }
  updateArendeStatus(diarienummer: string, status: Arende['status'], log: LogEvent): Promise<void> {
    return this.log.updateArendeStatus(diarienummer, status, log);
  }
  appendLog(arende: string, log: LogEvent): Promise<AuditEntry> {
    return this.log.appendLog(arende, log);
  }
  getLogHuvud(arende: string): Promise<{ seq: number; hash: string } | null> {
    return this.log.getLogHuvud(arende);
  }

  claimKvittens(diarienummer: string, nu: string): Promise<boolean> {
    return this.kvittens.claimKvittens(diarienummer, nu);
  }
  markKvittens(
    diarienummer: string,
    kvittens: { skickad: string; meddelandeId: string },
    mail?: { slag: MailSlag; mottagare: string[] },
  ): Promise<void> {
    return this.kvittens.markKvittens(diarienummer, kvittens, mail);
  }
  releaseKvittens(diarienummer: string): Promise<void> {
    return this.kvittens.releaseKvittens(diarienummer);
  }
  claimNotis(diarienummer: string, slag: NotisSlag, nu: string): Promise<'tagen' | 'skickad' | 'upptagen'> {
    return this.notiser.claimNotis(diarienummer, slag, nu);
  }
  markNotis(diarienummer: string, slag: NotisSlag, skickad: string): Promise<void> {
    return this.notiser.markNotis(diarienummer, slag, skickad);
  }
  releaseNotis(diarienummer: string, slag: NotisSlag): Promise<void> {
    return this.notiser.releaseNotis(diarienummer, slag);
  }

  getHandling(diarienummer: string): Promise<Handling | null> {
    return this.reader.getHandling(diarienummer);
  }
  getArende(diarienummer: string): Promise<Arende | null> {
    return this.reader.getArende(diarienummer);
  }
  getArenden(diarienummer: string[]): Promise<Arende[]> {
    return this.reader.getArenden(diarienummer);
  }
  getArendeDetaljer(
    diarienummer: string,
  ): Promise<{ arende: Arende; handlingar: Handling[]; logg: AuditEntry[] } | null> {
    return this.reader.getArendeDetaljer(diarienummer);
  }
  findArendeByInsatsnyckel(insatsnyckel: string): Promise<Arende | null> {
    return this.reader.findArendeByInsatsnyckel(insatsnyckel);
  }
  listDiarium(franDatum: string, tillDatum: string): Promise<Handling[]> {
    return this.reader.listDiarium(franDatum, tillDatum);
  }

  listInsatser(): Promise<Insats[]> {
    return this.insatser.listInsatser();
  }
  putInsatser(insatser: Insats[]): Promise<void> {
    return this.insatser.putInsatser(insatser);
  }

  recordSentMail(mail: SkickadMail): Promise<void> {
    return this.skickadeMail.recordSentMail(mail);
  }
  findSentMail(meddelandeId: string): Promise<(SkickadMail & { utfort: string[] }) | null> {
    return this.skickadeMail.findSentMail(meddelandeId);
  }
  markMailHandelse(meddelandeId: string, steg: string): Promise<boolean> {
    return this.skickadeMail.markMailHandelse(meddelandeId, steg);
  }
}
