import type { MailSlag, OutgoingMail } from '../diarium/ports.js';
import type { Handling } from '../diarium/types.js';
import type { Beslut } from '../granskning/types.js';
import { svenskTidpunkt } from '../diarium/ankomstdatum.js';
import { markeratAmne } from './amnesmarkning.js';

/** A mail as blocks, rendered both as plain text and as simple HTML (no images, no tracking). */
export type Block =
  | { p: string }
  | { lista: string[] }
  | { fakta: [string, string][] }
  | { lank: { text: string; url: string } };

/** Names from a report in a subject line: a 2 500-character insatsnamn must not make a 2 500-character subject. */
function kort(s: string, max = 120): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function render(to: string[], subject: string, blocks: Block[], replyTo?: string[]): OutgoingMail {
  const text: string[] = [];
  const html: string[] = [];
  for (const b of blocks) {
    if ('p' in b) {
      text.push(b.p);
      html.push(`<p>${escapeHtml(b.p)}</p>`);
    } else if ('lista' in b) {
      text.push(b.lista.map((l) => `  • ${l}`).join('\n'));
      html.push(`<ul>${b.lista.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`);
    } else if ('fakta' in b) {
      const w = Math.max(...b.fakta.map(([k]) => k.length));
      text.push(b.fakta.map(([k, v]) => `${`${k}:`.padEnd(w + 2)}${v}`).join('\n'));
      html.push(
        `<table>${b.fakta.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
      );
    } else {
      text.push(`${b.lank.text}:\n${b.lank.url}`);
      html.push(`<p><a href="${escapeHtml(b.lank.url)}">${escapeHtml(b.lank.text)}</a></p>`);
    }
  }
  const signatur = 'Samordningsförbund Gävleborg\nkontakt@finsamgavleborg.se';
  return {
    to,
    subject,
    text: `${text.join('\n\n')}\n\n--\n${signatur}\n`,
    html: `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${html.join('\n')}<hr><p>${escapeHtml(signatur).replace('\n', '<br>')}</p></body></html>`,
    ...(replyTo ? { replyTo } : {}),
  };
}

const BEDOMNING_TEXT: Record<Handling['bedomning'], string> = {
  komplett: 'Rapporten är komplett och går vidare till beredningsgruppen.',
  ofullstandig: 'Rapporten är inte komplett. Se nedan vad som saknas.',
  olasbar: 'Vi kunde inte läsa rapporten. Se nedan vad som gick fel.',
  karantan: 'Meddelandet har satts i karantän eftersom det kan innehålla skadlig kod.',
  lases: 'Vi läser fortfarande rapporten och återkommer om något saknas.',
};

/** The receipt for every handling; for an incomplete or unreadable report it is also the komplettering request. */
export function kvittensMail(h: Handling, to: string, extra: { problem: string[] }): OutgoingMail {
  const blocks: Block[] = [
    { p: 'Hej!' },
    { p: 'Tack för er slutrapport. Vi har tagit emot och diariefört den.' },
    {
      fakta: [
        ['Diarienummer', h.diarienummer],
        ['Ankomstdatum', h.ankomstdatum],
        ['Mottagen', svenskTidpunkt(h.mottagen)],
        ['Avser', h.beskrivning],
      ],
    },
  ];
  if (h.filer.length > 0) {
    blocks.push({ p: 'Mottagna filer (med SHA-256-kontrollsumma):' });
    blocks.push({ lista: h.filer.map((f) => `${f.filnamn} (${f.sha256})`) });
  }
  blocks.push({ p: BEDOMNING_TEXT[h.bedomning] });
  if (h.flaggor.includes('maskinlast')) {
    blocks.push({
      p: 'Rapporten lästes från en skanning (maskinläsning). Kansliet kontrollerar de uppgifter som lästs maskinellt; ni behöver inte göra något för deras skull.',
    });
  }
  // One cause, one message: a problem reading the mail or a file already says why no text was read.
  const fel = extra.problem.length > 0 ? h.fel.filter((f) => f.kod !== 'OLASBAR') : h.fel;
  const missing = [...extra.problem, ...fel.map((f) => f.meddelande)];
  if (h.bedomning === 'ofullstandig' || h.bedomning === 'olasbar') {
    blocks.push({ p: 'Det här behöver kompletteras:' });
    blocks.push({ lista: missing.length > 0 ? missing : ['Rapporten kunde inte läsas.'] });
    blocks.push({
      p: `Svara på det här mejlet och behåll ämnesraden (den innehåller diarienumret ${h.arende}). Bifoga den kompletterade rapporten (Word, PDF eller OpenDocument), eller klistra in den i mejlet.`,
    });
  }
  if (h.varningar.length > 0) {
    blocks.push({ p: 'Att känna till (hindrar inte granskningen):' });
    blocks.push({ lista: h.varningar.map((v) => v.meddelande) });
  }
  const subject =
    h.bedomning === 'komplett'
      ? `Kvittens ${h.diarienummer}: slutrapport mottagen`
      : `Komplettering behövs – ${h.diarienummer}: slutrapport mottagen men ${h.bedomning === 'olasbar' ? 'kunde inte läsas' : 'är inte komplett'}`;
  return render([to], markeratAmne(subject, h.arende), blocks);
}

export function granskningsMail(args: {
  till: { namn: string; epost: string };
  handling: Handling;
  insatsnamn: string;
  organisation: string;
  url: string;
  giltigTill: string;
  paminnelse: boolean;
}): OutgoingMail {
  const { handling: h } = args;
  return render(
    [args.till.epost],
    markeratAmne(
      `${args.paminnelse ? 'Påminnelse: ' : ''}Granskning av slutrapport ${h.diarienummer} – ${kort(args.insatsnamn)}`,
      h.arende,
    ),
    [
      { p: `Hej ${args.till.namn}!` },
      {
        p: args.paminnelse
          ? 'Vi har ännu inte fått ditt ställningstagande till slutrapporten nedan.'
          : 'En ny slutrapport har kommit in och väntar på beredningsgruppens ställningstagande.',
      },
      {
        fakta: [
          ['Diarienummer', h.diarienummer],
          ['Insats', args.insatsnamn],
          ['Insatsägare', args.organisation],
          ['Ankomstdatum', h.ankomstdatum],
        ],
      },
      { lank: { text: 'Öppna rapporten och ta ställning', url: args.url } },
      {
        p: `Länken är personlig och gäller till ${svenskTidpunkt(args.giltigTill)}. Att öppna länken ändrar ingenting; ditt beslut registreras först när du trycker på en knapp på sidan.`,
      },
    ],
  );
}

export function eskaleringsMail(args: {
  till: string;
  handling: Handling;
  insatsnamn: string;
  ejBesvarat: string[];
}): OutgoingMail {
  return render(
    [args.till],
    markeratAmne(
      `Granskning utan svar: ${args.handling.diarienummer} – ${kort(args.insatsnamn)}`,
      args.handling.arende,
    ),
    [
      { p: 'Hej!' },
      {
        p: `Granskningen av slutrapporten ${args.handling.diarienummer} (${args.insatsnamn}) har inte fått tillräckligt många svar trots påminnelse.`,
      },
      { p: 'Följande har inte svarat:' },
      { lista: args.ejBesvarat.length > 0 ? args.ejBesvarat : ['(alla har svarat)'] },
      { p: 'Kontakta dem eller avgör ärendet i diariet.' },
    ],
  );
}

export function utfallMail(args: {
  till: string[];
  handling: Handling;
  insatsnamn: string;
  utfall: 'godkand' | 'komplettering' | 'inget-beslut';
  beslut: Beslut[];
  /** The diarienummer of the decision itself (an upprättad handling in the same ärende). */
  beslutsdiarienummer?: string;
}): OutgoingMail {
  const h = args.handling;
  const fakta: [string, string][] = [
    ['Ärende', h.arende],
    ['Slutrapport', h.diarienummer],
    ['Ankomstdatum', h.ankomstdatum],
    ...(args.beslutsdiarienummer ? [['Beslut', args.beslutsdiarienummer] as [string, string]] : []),
  ];
  if (args.utfall === 'godkand') {
    return render(args.till, markeratAmne(`Slutrapport godkänd – ${h.diarienummer}`, h.arende), [
      { p: 'Hej!' },
      { p: `Beredningsgruppen har godkänt slutrapporten för ${args.insatsnamn}.` },
      { fakta },
      { p: 'Tack för ert arbete med insatsen. Ärendet går nu vidare till styrelsen för kännedom.' },
    ]);
  }
  if (args.utfall === 'komplettering') {
    const kommentarer = args.beslut
      .filter((b) => b.utfall === 'komplettering' && b.kommentar)
      .map((b) => `${b.namn}, ${b.organisation}: ${b.kommentar ?? ''}`);
    return render(args.till, markeratAmne(`Komplettering begärd – ${h.arende}`, h.arende), [
      { p: 'Hej!' },
      {
        p: `Beredningsgruppen har granskat slutrapporten för ${args.insatsnamn} och ber er komplettera den.`,
      },
      { fakta },
      { p: 'Beredningsgruppens synpunkter:' },
      { lista: kommentarer.length > 0 ? kommentarer : ['(inga kommentarer lämnades)'] },
      {
        p: `Svara på det här mejlet och behåll ämnesraden (den innehåller diarienumret ${h.arende}). Bifoga den kompletterade rapporten. Den diarieförs i samma ärende och granskas på nytt.`,
      },
    ]);
  }
  return render(args.till, markeratAmne(`Granskning avslutad utan beslut – ${h.diarienummer}`, h.arende), [
    { p: 'Hej!' },
    {
      p: `Granskningen av slutrapporten ${h.diarienummer} (${args.insatsnamn}) avslutades utan beslut eftersom beredningsgruppen inte svarade i tid. Kansliet tar ärendet vidare.`,
    },
    { fakta },
  ]);
}

/** Every member of the beredningsgrupp is told how the granskning ended (issue 17), with each answer given. */
export function utfallLedamotMail(args: {
  till: { namn: string; epost: string };
  handling: Handling;
  insatsnamn: string;
  utfall: 'godkand' | 'komplettering' | 'inget-beslut';
  regel: string;
  avgjord: string;
  beslut: Beslut[];
}): OutgoingMail {
  const h = args.handling;
  const vad =
    args.utfall === 'godkand'
      ? 'godkänd'
      : args.utfall === 'komplettering'
        ? 'komplettering begärd'
        : 'avslutad utan beslut';
  const svar = [...args.beslut]
    .sort((a, b) => a.tidpunkt.localeCompare(b.tidpunkt))
    .map((b) => {
      const s =
        b.utfall === 'godkand' ? 'godkänt' : b.utfall === 'jav' ? 'anmält jäv' : 'begärt komplettering';
      return `${b.namn}, ${b.organisation}: ${s}${b.kommentar ? ` – ${b.kommentar}` : ''}`;
    });
  return render(
    [args.till.epost],
    markeratAmne(`Granskningen avslutad: ${h.diarienummer} ${vad}`, h.arende),
    [
      { p: `Hej ${args.till.namn}!` },
      { p: `Beredningsgruppens granskning av slutrapporten för ${args.insatsnamn} är avslutad: ${vad}.` },
      {
        fakta: [
          ['Slutrapport', h.diarienummer],
          ['Utfall', vad],
          ['Beslutsregel', args.regel],
          ['Avgjord', svenskTidpunkt(args.avgjord)],
        ],
      },
      { p: 'Ledamöternas svar:' },
      { lista: svar.length > 0 ? svar : ['(inga svar)'] },
    ],
  );
}

/** A member's granskning ended because a new version of the report came in (issue 15); the new one is mailed apart. */
export function ersattLedamotMail(args: {
  till: { namn: string; epost: string };
  handling: Handling;
  insatsnamn: string;
  nyVersion: string | null;
}): OutgoingMail {
  const h = args.handling;
  const ny = args.nyVersion ? ` (${args.nyVersion})` : '';
  return render(
    [args.till.epost],
    markeratAmne(`Granskningen avslutad: ${h.diarienummer} ersatt`, h.arende),
    [
      { p: `Hej ${args.till.namn}!` },
      {
        p: `Rapporten har ersatts av en ny version${ny}. Granskningen av slutrapporten ${h.diarienummer} för ${args.insatsnamn} är därför avslutad, och länken till den kan inte längre användas.`,
      },
      { p: 'Den nya versionen granskas i stället; en länk till den kommer i ett eget mejl.' },
      {
        fakta: [
          ['Slutrapport', h.diarienummer],
          ...(args.nyVersion ? [['Ny version', args.nyVersion] as [string, string]] : []),
        ],
      },
    ],
  );
}

export function karantanMail(args: { till: string; handling: Handling; avsandare: string }): OutgoingMail {
  return render(
    [args.till],
    markeratAmne(`Karantän: misstänkt skadlig kod i ${args.handling.diarienummer}`, args.handling.arende),
    [
      { p: 'Hej!' },
      {
        p: `Ett inkommande mejl från ${args.avsandare} flaggades av virusskanningen. Det har diarieförts som ${args.handling.diarienummer} och lagts i karantän. Filerna skickas inte vidare.`,
      },
      { p: 'Granska handlingen i diariet innan något öppnas.' },
    ],
  );
}

/**
 * The kansli's notice for mail SES flagged as spam: registered (every incoming mail is an allmän handling) but
 * not answered, since an automatic reply to a forged sender is backscatter.
 */
export function kvarhallenMail(args: {
  till: string;
  handling: Handling;
  avsandare: string;
  orsak?: string;
  dmarc?: boolean;
}): OutgoingMail {
  const h = args.handling;
  return render(
    [args.till],
    markeratAmne(
      `Kvarhållet: ${args.dmarc ? 'mejl som inte klarade DMARC' : 'mejl flaggat som skräppost'} – ${h.diarienummer}`,
      h.arende,
    ),
    [
      { p: 'Hej!' },
      {
        p: `Ett inkommande mejl från ${args.avsandare} har hållits kvar. Det har diarieförts som ${h.diarienummer} men ingen kvittens har skickats och inget har gått vidare till beredningsgruppen.`,
      },
      {
        p: `Varför: ${args.orsak ?? 'mottagningskontrollen bedömde mejlet som skräppost, och avsändaradressen kan vara förfalskad.'}`,
      },
      {
        fakta: [
          ['Diarienummer', h.diarienummer],
          ['Ankomstdatum', h.ankomstdatum],
          ['Avser', h.beskrivning],
        ],
      },
      {
        p: `Så släpper du det: granska handlingen (npm run diarium -- visa ${h.diarienummer}). Är mejlet äkta och en slutrapport: frige den till granskning med npm run diarium -- frige ${h.diarienummer} --av "ditt namn". Är det något annat: rätta klassen med npm run diarium -- klass ${h.diarienummer} --till <klass> --skal "…" --av "ditt namn". Är det skräp behöver du inte göra något; det ligger kvar i diariet.`,
      },
    ],
  );
}

/** What each kind of mail is called in the kansli's notice and the ärende's log. */
export const MAIL_SLAG_TEXT: Record<MailSlag, string> = {
  kvittens: 'Kvittensen',
  'kansli-avisering': 'Aviseringen till kansliet',
  granskning: 'Inbjudan till granskning',
  paminnelse: 'Påminnelsen om granskning',
  eskalering: 'Meddelandet om granskning utan svar',
  utfall: 'Meddelandet om beslut',
};

const ATGARD: Record<MailSlag, string> = {
  kvittens:
    'Avsändaren har inte fått kvittensen. Kontakta avsändaren på annat sätt (telefon eller en annan e-postadress), bekräfta att rapporten kommit in och be om en adress som fungerar.',
  'kansli-avisering': 'Kontrollera kansliets e-postadress (KANSLI_EMAIL) i driftsättningen.',
  granskning:
    'Ledamoten har inte fått sin länk. Kontrollera adressen i beredningsgruppen (BEREDNINGSGRUPP), rätta den eller ange en ersättare, och kontakta ledamoten direkt.',
  paminnelse:
    'Ledamoten har inte fått påminnelsen. Kontrollera adressen i beredningsgruppen (BEREDNINGSGRUPP) och kontakta ledamoten direkt.',
  eskalering: 'Förbundschefen har inte fått meddelandet. Kontrollera adressen (FORBUNDSCHEF_EMAIL).',
  utfall:
    'Mottagaren har inte fått beslutet. Kontakta insatsägaren på annat sätt och skicka beslutet till en adress som fungerar.',
};

/**
 * The kansli's notice that SES could not deliver a mail about a handling (or that its recipient marked it as
 * spam). It goes to the kansli only: the bounced address is never mailed again.
 */
export function mailHandelseMail(args: {
  till: string;
  handling: Handling;
  slag: MailSlag;
  typ: 'studs' | 'klagomal';
  mottagare: string[];
  orsak: string;
}): OutgoingMail {
  const h = args.handling;
  const vad = MAIL_SLAG_TEXT[args.slag];
  const mottagare = args.mottagare.join(', ');
  const subject =
    args.typ === 'studs'
      ? `Kunde inte levereras: ${vad.toLowerCase()} för ${h.diarienummer}`
      : `Markerat som skräppost: ${vad.toLowerCase()} för ${h.diarienummer}`;
  return render([args.till], markeratAmne(subject, h.arende), [
    { p: 'Hej!' },
    {
      p:
        args.typ === 'studs'
          ? `${vad} för ${h.diarienummer} kunde inte levereras till ${mottagare}.`
          : `${vad} för ${h.diarienummer} markerades som skräppost av ${mottagare}.`,
    },
    {
      fakta: [
        ['Diarienummer', h.diarienummer],
        ['Avser', h.beskrivning],
        ['Mottagare', mottagare],
        [args.typ === 'studs' ? 'Orsak' : 'Typ', args.orsak],
      ],
    },
    {
      p:
        args.typ === 'studs'
          ? ATGARD[args.slag]
          : 'Kontakta mottagaren och fråga om utskicken ska fortsätta till den adressen.',
    },
    {
      p: 'Handlingen har flaggats i diariet och händelsen är noterad i ärendets logg. SES skickar inte fler mejl till adressen så länge den står på kontots spärrlista.',
    },
  ]);
}

function mottagenFakta(h: Handling): Block {
  return {
    fakta: [
      ['Diarienummer', h.diarienummer],
      ['Ankomstdatum', h.ankomstdatum],
      ['Mottagen', svenskTidpunkt(h.mottagen)],
    ],
  };
}

/**
 * The neutral receipt for an allmän handling that is not a report (a question, an invoice, an invitation):
 * it says the mail was registered and reached the kansli, and nothing about slutrapporter.
 */
export function mottagningsbevisMail(h: Handling, to: string): OutgoingMail {
  const blocks: Block[] = [
    { p: 'Hej!' },
    { p: 'Tack för ert meddelande. Vi har tagit emot det och registrerat det som allmän handling.' },
    mottagenFakta(h),
  ];
  if (h.filer.length > 1) {
    blocks.push({ p: 'Mottagna filer:' });
    blocks.push({ lista: h.filer.filter((f) => f.filnamn !== 'meddelande.eml').map((f) => f.filnamn) });
  }
  blocks.push({
    p: `Meddelandet har gått vidare till kansliet, som återkommer om det behövs. Ange gärna diarienumret ${h.arende} om ni skriver till oss igen i samma sak.`,
  });
  return render([to], markeratAmne(`Mottagningsbevis ${h.diarienummer}`, h.arende), blocks);
}

/** A document already registered in the ärende, sent again: the sender learns where it is; no new granskning. */
export function redanMottagenMail(kopia: Handling, original: Handling, to: string): OutgoingMail {
  return render([to], markeratAmne(`Redan mottagen – ${original.diarienummer}`, original.arende), [
    { p: 'Hej!' },
    {
      p: `Dokumentet ni skickade har vi redan tagit emot. Det är diariefört som ${original.diarienummer} (ankomstdatum ${original.ankomstdatum}), och det nya mejlet har noterats som en kopia (${kopia.diarienummer}).`,
    },
    { p: 'Ni behöver inte göra något mer. Granskningen fortsätter med det dokument vi redan har.' },
  ]);
}

/** A notice to the kansli about one handling: what happened, the facts, and what to do. */
export function kansliNotisMail(args: {
  till: string;
  handling: Handling;
  rubrik: string;
  text: string[];
  lista?: string[];
  atgard: string;
}): OutgoingMail {
  const h = args.handling;
  const blocks: Block[] = [{ p: 'Hej!' }, ...args.text.map((p) => ({ p }))];
  if (args.lista && args.lista.length > 0) blocks.push({ lista: args.lista });
  blocks.push({
    fakta: [
      ['Diarienummer', h.diarienummer],
      ['Ankomstdatum', h.ankomstdatum],
      ['Klass', h.klassning ? `${h.klassning.klass} – ${h.klassning.orsak}` : '–'],
    ],
  });
  blocks.push({ p: args.atgard });
  return render([args.till], markeratAmne(`${args.rubrik} – ${h.diarienummer}`, h.arende), blocks);
}
