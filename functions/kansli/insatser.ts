import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { verifyChain } from '../../domain/diarium/audit.js';
import { DiariumRegelError, InsatsKonfliktError } from '../../domain/diarium/errors.js';
import {
  FormularFelError,
  andraInsats,
  genomforImport,
  hamtaInsats,
  laggTillInsats,
  listaInsatser,
  planeraImport,
  type InsatsFormular,
  type InsatsKansliDeps,
} from '../../domain/diarium/insatsregister-kansli.js';
import type { Log } from '../../domain/log.js';
import { harRatt, loggNamn, type Person } from '../../domain/kansli/roller.js';
import {
  formularVarden,
  importForhandsSida,
  importSida,
  insatsFormularSida,
  insatsregisterSida,
} from '../pages/kansli-insatser-pages.js';
import { meddelandeSida, type Inloggad } from '../pages/kansli-pages.js';

/** The largest register file the import takes (a register of a few hundred insatser is a few tens of KB). */
export const IMPORT_MAX_BYTES = 1024 * 1024;

const filSchema = z.object({ filename: z.string(), content: z.instanceof(Buffer) });

type Svar = APIGatewayProxyStructuredResultV2;

export interface InsatsRequest {
  method: 'GET' | 'POST';
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  person: Person;
  who: Inloggad;
  html: (status: number, body: string) => Svar;
  redirect: (location: string) => Svar;
  forbidden: () => Svar;
}

const KLART: Record<string, string> = {
  ny: 'Insatsen är tillagd och skriven i registrets logg.',
  andrad: 'Ändringen är sparad och skriven i registrets logg.',
  import: 'Importen är klar och skriven i registrets logg.',
};

/** The insats register pages under /kansli/insatser; null for any other path. */
export async function insatserRequest(
  deps: { insatser: InsatsKansliDeps; log: Log },
  r: InsatsRequest,
): Promise<Svar | null> {
  if (r.path !== '/kansli/insatser' && !r.path.startsWith('/kansli/insatser/')) return null;
  const d = deps.insatser;
  const str = (k: string) => (typeof r.body[k] === 'string' ? r.body[k] : '');
  const inte = () => r.html(404, meddelandeSida('Sidan finns inte', 'Adressen finns inte i diariet.', r.who));

  if (r.path === '/kansli/insatser') {
    if (r.method !== 'GET') return inte();
    const [rader, logg] = await Promise.all([listaInsatser(d), d.register.listRegisterLogg()]);
    const klart = KLART[r.query.get('klart') ?? ''];
    return r.html(
      200,
      insatsregisterSida({
        who: r.who,
        rader,
        logg,
        loggOk: verifyChain(logg),
        ...(klart ? { meddelande: klart } : {}),
      }),
    );
  }
  // Everything below changes the register, or is a form for it: the registrator's right, GET as POST.
  if (!harRatt(r.person, 'insatsregister')) return r.forbidden();
  const av = loggNamn(r.person);
  const formular = (): InsatsFormular & { skal: string } => ({
    id: str('id'),
    namn: str('namn'),
    organisation: str('organisation'),
    arende: str('arende'),
    beviljadeMedel: str('beviljadeMedel'),
    insatstidSlut: str('insatstidSlut'),
    kontakt: str('kontakt'),
    forfallodatum: str('forfallodatum'),
    skal: str('skal'),
  });

  if (r.path === '/kansli/insatser/ny') {
    const sida = (status: number, varden: ReturnType<typeof formular> | object, extra = {}) =>
      r.html(
        status,
        insatsFormularSida({ who: r.who, rad: null, varden, rapportDagar: d.rapportDagar, ...extra }),
      );
    if (r.method === 'GET') return sida(200, {});
    const v = formular();
    if (r.body['bekraftat'] !== 'ja')
      return sida(400, v, { meddelande: 'Bekräfta genom att kryssa i rutan.' });
    try {
      const insats = await laggTillInsats(d, v, { av, skal: v.skal });
      deps.log('info', 'Insats tillagd', { insats: insats.id, sub: r.person.sub });
    } catch (err) {
      if (err instanceof FormularFelError) {
        deps.log('info', 'Insatsformulär med fel', { falt: Object.keys(err.fel), sub: r.person.sub });
        return sida(err.fel.id?.startsWith('Det finns redan') ? 409 : 400, v, { fel: err.fel });
      }
      if (err instanceof InsatsKonfliktError) return sida(409, v, { meddelande: err.message });
      throw err;
    }
    return r.redirect('/kansli/insatser?klart=ny');
  }

  const m = /^\/kansli\/insatser\/insats\/([^/]+)$/.exec(r.path);
  if (m) {
    const id = decodeURIComponent(m[1]!);
    const rad = await hamtaInsats(d, id);
    if (!rad)
      return r.html(
        404,
        meddelandeSida('Insatsen finns inte', `Insatsen ${id} finns inte i insatsregistret.`, r.who),
      );
    const sida = (status: number, varden: object, extra = {}) =>
      r.html(status, insatsFormularSida({ who: r.who, rad, varden, rapportDagar: d.rapportDagar, ...extra }));
    if (r.method === 'GET') return sida(200, formularVarden(rad));
    const v = formular();
    const version = Number.parseInt(str('version'), 10);
    if (!Number.isInteger(version) || version < 0)
      return sida(400, v, { meddelande: 'Formuläret saknar version. Öppna insatsen igen.' });
    if (r.body['bekraftat'] !== 'ja')
      return sida(400, v, { meddelande: 'Bekräfta ändringen genom att kryssa i rutan.' });
    try {
      await andraInsats(d, id, version, v, { av, skal: v.skal });
    } catch (err) {
      if (err instanceof FormularFelError) {
        deps.log('info', 'Insatsformulär med fel', { falt: Object.keys(err.fel), sub: r.person.sub });
        return sida(400, v, { fel: err.fel });
      }
      if (err instanceof InsatsKonfliktError) {
        deps.log('warn', 'Inaktuellt formulär för insats', { insats: id, sub: r.person.sub });
        // The form shows what is stored now, so nothing the other editor saved is overwritten by a resend.
        const nu = await hamtaInsats(d, id);
        return r.html(
          409,
          insatsFormularSida({
            who: r.who,
            rad: nu ?? rad,
            varden: formularVarden(nu ?? rad),
            rapportDagar: d.rapportDagar,
            meddelande: `${err.message} Formuläret visar nu det som är sparat.`,
          }),
        );
      }
      if (err instanceof DiariumRegelError) return sida(409, v, { meddelande: err.message });
      throw err;
    }
    deps.log('info', 'Insats ändrad', { insats: id, sub: r.person.sub });
    return r.redirect('/kansli/insatser?klart=andrad');
  }

  if (r.path === '/kansli/insatser/importera') {
    if (r.method === 'GET') return r.html(200, importSida({ who: r.who }));
    const fil = filSchema.safeParse(r.body['fil']);
    const uppladdad = fil.success && fil.data.content.length > 0 ? fil.data : null;
    const text = uppladdad ? uppladdad.content.toString('utf8') : str('text');
    if (!text.trim())
      return r.html(400, importSida({ who: r.who, fel: 'Välj en fil eller klistra in registret.' }));
    if (Buffer.byteLength(text) > IMPORT_MAX_BYTES)
      return r.html(413, importSida({ who: r.who, fel: 'Registret får vara högst 1 MB.' }));
    const kalla = uppladdad ? uppladdad.filename.slice(0, 200) : 'inklistrad text';
    const format = formatAv(uppladdad?.filename ?? null, text);
    const plan = await planeraImport(d, text, format);
    return r.html(200, importForhandsSida({ who: r.who, plan, text, format, kalla }));
  }

  if (r.path === '/kansli/insatser/importera/bekrafta' && r.method === 'POST') {
    const text = Buffer.from(str('innehall'), 'base64').toString('utf8');
    const format = str('format') === 'json' ? 'json' : 'csv';
    const kalla = str('kalla').slice(0, 200) || 'inklistrad text';
    const skal = str('skal');
    if (!text.trim())
      return r.html(400, importSida({ who: r.who, fel: 'Importen saknar innehåll. Börja om.' }));
    const plan = await planeraImport(d, text, format);
    const forhand = (status: number, fel: string) =>
      r.html(status, importForhandsSida({ who: r.who, plan, text, format, kalla, fel, skal }));
    if (plan.fingeravtryck !== str('fingeravtryck'))
      return forhand(
        409,
        'Registret har ändrats sedan du förhandsgranskade. Ingenting importerades; granska den nya förhandsvisningen och bekräfta igen.',
      );
    if (r.body['bekraftat'] !== 'ja') return forhand(400, 'Bekräfta importen genom att kryssa i rutan.');
    try {
      const res = await genomforImport(d, plan, { av, skal, kalla });
      deps.log('info', 'Insatsregistret importerat', { ...res, kalla, sub: r.person.sub });
    } catch (err) {
      if (err instanceof FormularFelError) return forhand(400, err.message);
      if (err instanceof InsatsKonfliktError || err instanceof DiariumRegelError) {
        deps.log('warn', 'Import avbruten', { fel: err.message, sub: r.person.sub });
        return r.html(
          409,
          meddelandeSida(
            'Importen avbröts',
            `${err.message} Det som redan skrivits syns i registrets logg; läs in filen igen för att se vad som återstår.`,
            r.who,
            { href: '/kansli/insatser', text: 'Till insatsregistret' },
          ),
        );
      }
      throw err;
    }
    return r.redirect('/kansli/insatser?klart=import');
  }
  return inte();
}

/** JSON by the file's name, or for pasted text by its first character; CSV otherwise. */
function formatAv(filnamn: string | null, text: string): 'csv' | 'json' {
  if (filnamn) return /\.json$/i.test(filnamn) ? 'json' : 'csv';
  return /^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'csv';
}
