import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SERIE } from '../../domain/defaults.js';
import { parseInsatsregister } from '../../domain/diarium/insatsregister.js';
import { DiariumRegelError, InsatsKonfliktError } from '../../domain/diarium/errors.js';
import { genomforImport, planeraImport } from '../../domain/diarium/insatsregister-kansli.js';
import { DynamoDiariumRepository } from '../../functions/adapters/dynamo-diarium/repository.js';
import { EX_USAGE, parseCliArgs } from './args.js';
import { CLI_DEFAULTS, openCliDiarium, type CliIo } from './diarium/io.js';
import { userPath } from './stack.js';

const HJALP = `Läs in insatsregistret (slås samman per id; inget tas bort):

  npm run insatser:import -- insatser.csv [--skapa-arenden] [--av "namn"] [--skal "text"]
  npm run insatser:import -- insatser.json

Samma import som kansliets webbsida (Insatsregistret → Importera): en rad med samma id ändrar insatsen
(bara kolumnerna som finns i filen), en ny rad läggs till, övriga insatser lämnas. Varje ändring skrivs
i registrets logg och i insatsens ärende, med vem som gjorde den (--av).

Kolumner (svenska rubriker går bra): id, namn (Insatsens namn), organisation (Huvudman/Insatsägare),
arende (Ärende/Diarienummer, t.ex. SFG 21-3), beviljadeMedel (Beviljade medel, t.ex. "2 458 000 kr").
CSV med komma eller semikolon, UTF-8 (med eller utan BOM).

  --skapa-arenden  lägg upp ärenden som registret nämner men som inte finns i diariet (vid flytt från
                   ett äldre diarium); annars rapporteras de, och rapporter för insatsen får ett nytt ärende
  --av NAMN        vem som läser in registret (i registrets och ärendenas loggar;
                   standard "insatser:import (<användarnamn>)")
  --skal TEXT      skäl, krävs när importen ändrar beviljade medel, ärenden eller insatstider
  --endpoint URL   DynamoDB (standard: den lokala stackens, ur .data/stack.json; annars
                   AWS_ENDPOINT_URL_DYNAMODB eller ${CLI_DEFAULTS.endpoint})
  --table NAMN     tabell (standard: ur .data/stack.json; annars TABLE_NAME eller ${CLI_DEFAULTS.table})
  --serie SERIE    diarieserie (standard SFG eller DIARIUM_SERIE)
  -h, --help       visa den här hjälpen

Slutkod 0 inläst, 2 den lokala stacken svarar inte, 64 felaktig kommandorad, 65 fel i registret,
66 filen kan inte läsas.`;

export async function runInsatserImport(argv: string[], io: Omit<CliIo, 'events'>): Promise<number> {
  const parsed = parseCliArgs(
    argv,
    {
      'skapa-arenden': { type: 'boolean' },
      av: { type: 'string' },
      skal: { type: 'string' },
      endpoint: { type: 'string' },
      table: { type: 'string' },
      serie: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'npm run insatser:import --',
  );
  if (!parsed.ok) {
    io.err(parsed.message);
    return EX_USAGE;
  }
  const { values: v, positionals } = parsed.args;
  if (v.help) {
    io.out(HJALP);
    return 0;
  }
  const file = positionals[0];
  if (!file) {
    io.err(`Ange registrets fil (.csv eller .json). Se npm run insatser:import -- --help.`);
    return EX_USAGE;
  }
  const format = /\.json$/i.test(file) ? 'json' : /\.(csv|txt)$/i.test(file) ? 'csv' : null;
  if (!format) {
    io.err(`Okänt filformat för ${file}: använd .csv eller .json.`);
    return 64;
  }
  let text: string;
  try {
    text = readFileSync(userPath(io, file), 'utf8');
  } catch (err) {
    io.err(`Kunde inte läsa ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 66;
  }
  const serie = v.serie ?? io.env['DIARIUM_SERIE'] ?? DEFAULT_SERIE;
  // Errors in the file are reported without a stack to talk to.
  const lasta = parseInsatsregister(text, format, serie);
  if (lasta.fel.length > 0) {
    io.err(`Registret lästes inte in; rätta först:\n${lasta.fel.map((f) => `  – ${f}`).join('\n')}`);
    return 65;
  }
  const diarium = openCliDiarium(io, v, { serie });
  const { repo } = diarium;
  try {
    if (!(repo instanceof DynamoDiariumRepository))
      throw new Error('Insatsregistret kräver DynamoDB-diariet.');
    const deps = { register: repo.insatser, repo, serie };
    const plan = await planeraImport(deps, text, format);
    if (plan.fel.length > 0) {
      io.err(`Registret lästes inte in; rätta först:\n${plan.fel.map((f) => `  – ${f}`).join('\n')}`);
      return 65;
    }
    if (plan.kraverSkal && !v.skal?.trim()) {
      io.err(
        'Importen ändrar beviljade medel, ärenden eller insatstider för insatser som redan finns; ange ett skäl med --skal "…".',
      );
      return EX_USAGE;
    }
    const r = await genomforImport(deps, plan, {
      av: v.av ?? `insatser:import (${io.env['USER'] ?? io.env['USERNAME'] ?? 'okänd användare'})`,
      skal: v.skal ?? '',
      kalla: file,
      skapaArenden: v['skapa-arenden'] ?? false,
    });
    const antal = plan.nya.length + plan.andrade.length + plan.oforandrade.length;
    io.out(
      `Läste in ${antal} insatser från ${file}: ${r.tillagda} tillagda, ${r.andrade} ändrade, ${plan.oforandrade.length} oförändrade; ${plan.lamnade.length} insatser som inte finns i filen lämnades.`,
    );
    if (r.arendenSkapade.length) io.out(`Lade upp ärendena ${r.arendenSkapade.join(', ')}.`);
    const saknas = plan.arendenSaknas.filter((a) => !r.arendenSkapade.includes(a));
    if (saknas.length) {
      io.out(
        `Obs: ärendena ${saknas.join(', ')} finns inte i diariet. Rapporter för de insatserna får ett nytt ärende tills ärendet finns (kör med --skapa-arenden för att lägga upp dem).`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof InsatsKonfliktError || err instanceof DiariumRegelError) {
      io.err(`Importen avbröts: ${err.message}`);
      return 1;
    }
    const unreachable = diarium.explain(err);
    if (unreachable) {
      io.err(unreachable);
      return 2;
    }
    throw err;
  } finally {
    diarium.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runInsatserImport(process.argv.slice(2), {
    out: (t) => console.log(t),
    err: (t) => console.error(t),
    env: process.env,
    clock: () => new Date(),
  });
}
