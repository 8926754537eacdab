import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ankomstdatum } from '../../domain/diarium/ankomstdatum.js';
import type { InsatsRegister } from '../../domain/diarium/ports.js';
import type { Log } from '../../domain/log.js';
import { KLASSER, type Klass } from '../../domain/klassning/types.js';
import {
  KOLUMNER,
  SEKRETESSFILTER,
  STATUSAR,
  radFilter,
  sok,
  sokCsv,
  type DiariumSok,
  type Riktning,
  type SekretessFilter,
  type SortKolumn,
  type Sokning,
  type StatusFilter,
} from '../../domain/kansli/sok.js';
import { listSida } from '../pages/kansli-lista-pages.js';
import { KANSLI_HEADERS, type Inloggad } from '../pages/kansli-pages.js';

const DATUM = /^\d{4}-\d{2}-\d{2}$/;

const isStatus = (s: string): s is StatusFilter => Object.hasOwn(STATUSAR, s);
const isSekretess = (s: string): s is SekretessFilter => Object.hasOwn(SEKRETESSFILTER, s);
const isKlass = (s: string): s is Klass => (KLASSER as readonly string[]).includes(s);
const isKolumn = (s: string): s is SortKolumn => Object.hasOwn(KOLUMNER, s);
const isRiktning = (s: string): s is Riktning => s === 'stigande' || s === 'fallande';

/** The search in the address; an unknown value of a filter or sort counts as not given. */
export function lasSokning(query: URLSearchParams, nu: Date): Sokning {
  const v = (k: string) => query.get(k) ?? '';
  const [status, sekretess, klass, kolumn, ordning] = [
    v('status'),
    v('sekretess'),
    v('klass'),
    v('sortera'),
    v('ordning'),
  ];
  const insats = v('insats').trim().slice(0, 200);
  return {
    fritext: v('q').slice(0, 200),
    status: isStatus(status) ? status : null,
    sekretess: isSekretess(sekretess) ? sekretess : null,
    klass: isKlass(klass) ? klass : null,
    insats: insats || null,
    // The last three months unless asked: what the kansli works with, and a short read of the index.
    fran: query.get('fran') ?? ankomstdatum(new Date(nu.getTime() - 90 * 86_400_000).toISOString()),
    till: query.get('till') ?? ankomstdatum(nu.toISOString()),
    sida: Math.max(1, Number.parseInt(v('sida') || '1', 10) || 1),
    sortering: isKolumn(kolumn) ? { kolumn, riktning: isRiktning(ordning) ? ordning : 'stigande' } : null,
  };
}

/**
 * The diarium list and its CSV: one Query per month of the list index with the exact filters in it, then the
 * free text, what the reader may see, the sort and the page.
 */
export async function diariumLista(args: {
  sokIndex: DiariumSok;
  insatser: Pick<InsatsRegister, 'listInsatser'>;
  who: Inloggad;
  /** A reader without the right sees no handling under sekretess (not even that it exists). */
  sesSekretess: boolean;
  query: URLSearchParams;
  csv: boolean;
  nu: Date;
  log: Log;
}): Promise<APIGatewayProxyStructuredResultV2> {
  const { who, nu } = args;
  const s = lasSokning(args.query, nu);
  const html = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
    statusCode,
    headers: { ...KANSLI_HEADERS },
    body,
  });
  const insatserNu = args.csv ? Promise.resolve([]) : args.insatser.listInsatser();
  if (
    !DATUM.test(s.fran) ||
    !DATUM.test(s.till) ||
    s.fran > s.till ||
    Number(s.till.slice(0, 4)) - Number(s.fran.slice(0, 4)) > 10
  ) {
    args.log('info', 'Diariesökning med ogiltigt datum', { fran: s.fran, till: s.till });
    const idag = ankomstdatum(nu.toISOString());
    const insatser = await insatserNu;
    return html(
      400,
      listSida({
        who,
        sokning: { ...s, fran: `${idag.slice(0, 4)}-01-01`, till: idag },
        rader: [],
        antal: 0,
        sida: 1,
        antalSidor: 1,
        insatser,
        fel: 'Ange datum som ÅÅÅÅ-MM-DD, från före till, högst tio år.',
      }),
    );
  }
  // The register (for the insats filter's options) is read while the list index is.
  const [rader, insatser] = await Promise.all([
    args.sokIndex.listRader(s.fran, s.till, radFilter(s)),
    insatserNu,
  ]);
  const r = sok(rader, s, (x) => args.sesSekretess || !x.sekretess);
  if (args.csv)
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="diarium-${s.fran}-${s.till}.csv"`,
        'cache-control': 'no-store',
      },
      body: sokCsv(r.traffar),
    };
  return html(
    200,
    listSida({
      who,
      sokning: s,
      rader: r.sida,
      antal: r.traffar.length,
      sida: Math.min(s.sida, r.antalSidor),
      antalSidor: r.antalSidor,
      insatser,
    }),
  );
}
