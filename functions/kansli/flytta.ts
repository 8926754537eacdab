import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { laggTillAnteckning } from '../../domain/diarium/anteckningar.js';
import { DiariumRegelError, HandlingNotFoundError } from '../../domain/diarium/errors.js';
import { arendeAv, flyttaHandling } from '../../domain/diarium/flytta.js';
import type { ArendeLog, DiariumReader, HandlingFlytt } from '../../domain/diarium/ports.js';
import type { Log } from '../../domain/log.js';
import { harRatt, loggNamn } from '../../domain/kansli/roller.js';
import { anteckningSida, flyttaBekraftaSida, flyttaSida } from '../pages/kansli-flytta-pages.js';
import { meddelandeSida, type Inloggad } from '../pages/kansli-pages.js';

/** What the move and the notes need from the application: the diarium, the responses, the person. */
export interface FlyttKontext {
  repo: DiariumReader & ArendeLog & HandlingFlytt;
  log: Log;
  who: Inloggad;
  html: (statusCode: number, body: string) => APIGatewayProxyStructuredResultV2;
  redirect: (location: string) => APIGatewayProxyStructuredResultV2;
  forbidden: () => APIGatewayProxyStructuredResultV2;
}

export const FLYTTA_PATH = /^\/kansli\/handling\/([^/]+)\/flytta$/;
export const ANTECKNING_PATH = /^\/kansli\/arende\/([^/]+)\/anteckning$/;

const falt = (body: Record<string, unknown>, k: string) => (typeof body[k] === 'string' ? body[k] : '');
const arendeUrl = (dnr: string, klart: string) => `/kansli/arende/${encodeURIComponent(dnr)}?klart=${klart}`;

/** GET: the move form (registrator only; 403 for anyone else, the form included). */
export async function flyttaGet(k: FlyttKontext, dnr: string): Promise<APIGatewayProxyStructuredResultV2> {
  if (!harRatt(k.who.person, 'flytta')) return k.forbidden();
  const h = await k.repo.getHandling(dnr);
  if (!h)
    return k.html(404, meddelandeSida('Handlingen finns inte', 'Handlingen finns inte i diariet.', k.who));
  return k.html(200, flyttaSida({ who: k.who, handling: h }));
}

/**
 * POST: without `bekraftat` the target is looked up and the confirmation shown (nothing written); with it the
 * move is made. Refusals (a rule, an unknown ärende) show the form again with the reason, 409/400.
 */
export async function flyttaPost(
  k: FlyttKontext,
  dnr: string,
  body: Record<string, unknown>,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (!harRatt(k.who.person, 'flytta')) return k.forbidden();
  const h = await k.repo.getHandling(dnr);
  if (!h)
    return k.html(
      404,
      meddelandeSida('Handlingen finns inte', `Handlingen ${dnr} finns inte i diariet.`, k.who),
    );
  const varden = { till: falt(body, 'till').trim(), skal: falt(body, 'skal').trim() };
  const refuse = (status: number, fel: string) =>
    k.html(status, flyttaSida({ who: k.who, handling: h, fel, varden }));
  if (!varden.till) return refuse(400, 'Ange ärendet handlingen ska flyttas till.');
  if (!varden.skal) return refuse(400, 'Skäl för flytten måste anges.');
  let tillArende: string;
  try {
    tillArende = arendeAv(varden.till);
  } catch (err) {
    if (err instanceof DiariumRegelError) return refuse(400, err.message);
    throw err;
  }
  const till = await k.repo.getArende(tillArende);
  if (!till) return refuse(409, `Ärendet ${tillArende} finns inte i diariet.`);
  if (body['bekraftat'] !== 'ja') {
    // Step 1 posted: show the confirmation. Step 2 posted without the box: show it again with the reason.
    const steg2 = falt(body, 'steg') === 'bekrafta';
    return k.html(
      steg2 ? 400 : 200,
      flyttaBekraftaSida({
        who: k.who,
        handling: h,
        till,
        skal: varden.skal,
        ...(steg2 ? { fel: 'Bekräfta flytten genom att kryssa i rutan.' } : {}),
      }),
    );
  }
  try {
    const r = await flyttaHandling({ repo: k.repo }, dnr, {
      till: tillArende,
      skal: varden.skal,
      av: loggNamn(k.who.person),
    });
    k.log('info', 'Handling flyttad', {
      handling: dnr,
      till: r.flyttad.diarienummer,
      redanFlyttad: r.redanFlyttad,
      sub: k.who.person.sub,
    });
    return k.redirect(arendeUrl(r.flyttad.arende, 'flytta'));
  } catch (err) {
    if (err instanceof DiariumRegelError || err instanceof HandlingNotFoundError) {
      k.log('info', 'Flytt avvisad', { handling: dnr, till: tillArende, fel: err.message });
      return refuse(409, err.message);
    }
    throw err;
  }
}

/** GET: the note form on its own page (handläggare, registrator). */
export async function anteckningGet(
  k: FlyttKontext,
  arende: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (!harRatt(k.who.person, 'anteckna')) return k.forbidden();
  const a = await k.repo.getArende(arende);
  if (!a) return k.html(404, meddelandeSida('Ärendet finns inte', 'Ärendet finns inte i diariet.', k.who));
  return k.html(200, anteckningSida({ who: k.who, arende: a }));
}

/** POST: a note on the ärende, with the confirmation box; the entry names the person. */
export async function anteckningPost(
  k: FlyttKontext,
  arende: string,
  body: Record<string, unknown>,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (!harRatt(k.who.person, 'anteckna')) return k.forbidden();
  const a = await k.repo.getArende(arende);
  if (!a)
    return k.html(
      404,
      meddelandeSida('Ärendet finns inte', `Ärendet ${arende} finns inte i diariet.`, k.who),
    );
  const text = falt(body, 'text');
  if (body['bekraftat'] !== 'ja')
    return k.html(
      400,
      anteckningSida({
        who: k.who,
        arende: a,
        text,
        fel: 'Bekräfta att anteckningen sparas genom att kryssa i rutan.',
      }),
    );
  try {
    const n = await laggTillAnteckning({ repo: k.repo }, a.diarienummer, {
      text,
      av: loggNamn(k.who.person),
    });
    k.log('info', 'Anteckning sparad', { arende: a.diarienummer, seq: n.seq, sub: k.who.person.sub });
  } catch (err) {
    if (err instanceof DiariumRegelError || err instanceof HandlingNotFoundError)
      return k.html(400, anteckningSida({ who: k.who, arende: a, text, fel: err.message }));
    throw err;
  }
  return k.redirect(`${arendeUrl(a.diarienummer, 'anteckning')}#anteckningar`);
}
