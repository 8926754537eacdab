import { Document, Packer, Paragraph } from 'docx';

export interface SyntheticReportOptions {
  insatsnamn?: string;
  organisation?: string;
  insatstid?: string;
  beviljade?: string;
  utnyttjade?: string;
  kontakt?: string;
  /** Leave out section 8 (an incomplete report). */
  utanAvsnitt8?: boolean;
  datum?: string;
}

/** An invented slutrapport in the template's shape: label lines followed by values, as Word exports it. */
export function syntheticReportLines(o: SyntheticReportOptions = {}): string[] {
  const svar = (n: string) =>
    `Vi har under insatstiden arbetat enligt plan med ${n}. Deltagarna har fått samordnat stöd från kommun, region och Försäkringskassan, och arbetsgruppen har följt upp varje månad.`;
  const lines = [
    'Slutrapport',
    'Insats för samverkansmedel',
    'Denna mall ska användas vid slutrapportering av insatser finansierade av Samordningsförbund Gävleborg.',
    'Diarienummer Signatur',
    'Ankomstdatum',
    '1. Allmänna uppgifter',
    'Insatsens namn',
    o.insatsnamn ?? 'Stegvis till arbete Exempelby',
    'Insatstid – åååå-mm-dd',
    o.insatstid ?? '2024-01-01 – 2025-06-30',
    'Beviljade medel för insatsen',
    o.beviljade ?? '450 000 kr',
    'Utnyttjade medel',
    o.utnyttjade ?? '450 000 kr',
    '2. Ansvarig för genomförande av insatsen',
    'Organisations namn Arbetsställets namn',
    `${o.organisation ?? 'Exempelby kommun'} Arbetsmarknadsenheten`,
    'Namn - kontaktperson för insatsägare Mobiltelefonnummer',
    `${o.kontakt ?? 'Sara Provperson'} 070-123 45 67`,
    'E-postadress',
    'sara.provperson@exempelby.example',
    'Postnummer Postadress',
    '811 99 Exempelby',
    'Slutrapport för insatser skickas via e-post till kontakt@finsamgavleborg.se',
    'Rapportens syfte är att förmedla information till styrelsen för uppföljning och lärande.',
    'Kontakt',
    'Anna Kanslisson, förbundschef Per Kanslisson, verksamhetsutvecklare',
    '3. Samverkansparter',
    'Organisation',
    'Arbetsförmedlingen',
    'Organisation',
    'Försäkringskassan',
    '4. Insatsbeskrivning',
    '4.1 Syfte och bakgrund till insatsen:',
    svar('syftet att korta tiden i utanförskap'),
    '4.2 Målgrupp för insatsen: Vilka grupper/individer har omfattats av insatsen.',
    svar('unga vuxna med försörjningsstöd'),
    '5. Resultat och utfall av insats',
    '5.1 Måluppfyllelse: Ange mål och resultat.',
    svar('målet att tolv deltagare skulle gå vidare'),
    '5.2 Arbetssätt och verksamhetsbeskrivning: Beskriv vilka metoder/arbetssätt och vilka aktiviteter som har genomförts. Har de metoder/aktiviteter ni angett i ansökan använts/utförts på det sätt som var tänkt?',
    svar('individuell coachning och praktik'),
    '5.3 Avvikelser från planering (tidsplan, aktiviteter numerära mål, m.m.):',
    'Har insatsen kunnat genomföras enligt planering? Om inte, vilka åtgärder har vidtagits? Om målet ej nåtts, vad är orsaken till detta?',
    svar('en förskjutning av starten med en månad'),
    '5.4 Beskriv uppföljning och utvärdering av målen:',
    'Hur har ni arbetat med uppföljning och utvärdering, samt med vilka har detta kommunicerats?',
    svar('enkäter och månatliga avstämningar'),
    '6. Analys',
    '6.1 Beskriv tillvaratagna erfarenheter och lärdomar från insatsen:',
    svar('lärdomen att kontinuitet är avgörande'),
    '6.2 Beskriv i vilken form insatsen har blivit eller kommer bli implementerad:',
    svar('en plan för att föra in arbetssättet i ordinarie verksamhet'),
    '6.3 Brukarmedverkan: Beskriv hur deltagare involverats och gjorts delaktiga i insatsen, samt vilka lärdomar och erfarenheter de bidragit med.',
    svar('deltagarråd varje kvartal'),
    '6.4 Beskriv framgångsfaktorer/positiva effekter:',
    svar('tät samverkan mellan parterna'),
    '6.5 Beskriv identifierade systemfel som påverkat insatsens resultat:',
    svar('regelverk som inte passar ihop'),
    '7. Ekonomiuppföljning utnyttjade medel',
    '7.1 Beviljade medel är helt utnyttjade',
    '7.1.1 Var den budget ni lagt bra avvägd i förhållande till verksamheten? Beskriv om ni skulle gjort något annorlunda i efterhand och vilken betydelse det skulle haft för insatsen.',
    'Budgeten var väl avvägd och räckte för hela insatstiden.',
    '7.2 Beviljade medel är inte helt utnyttjade',
    '7.2.1 Varför utnyttjades inte beviljade insatsmedel? Berätta om de faktorer som påverkat utfallet.',
    '',
  ];
  if (!o.utanAvsnitt8) {
    lines.push(
      '8. Uppgiftslämnare',
      'Datum Namn',
      `${o.datum ?? '2025-08-20'} ${o.kontakt ?? 'Sara Provperson'}, enhetschef, ${o.organisation ?? 'Exempelby kommun'}`,
    );
  }
  return lines;
}

export function syntheticReportText(o: SyntheticReportOptions = {}): string {
  return syntheticReportLines(o).join('\n');
}

export async function syntheticReportDocx(o: SyntheticReportOptions = {}): Promise<Buffer> {
  const doc = new Document({
    sections: [{ children: syntheticReportLines(o).map((t) => new Paragraph({ text: t })) }],
  });
  return Packer.toBuffer(doc);
}
