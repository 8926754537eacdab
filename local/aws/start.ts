import { dataDirFrom } from './instance.js';
import { StartRefusedError } from './lifecycle.js';

const HJALP = `Användning: npm start [-- --help]

Startar hela Rapportflöde lokalt (DynamoDB Local, S3, SES-utkorg, SMTP-mottagning, Step Functions,
beslutssidor). Data sparas i .data/ och finns kvar mellan körningar. Katalogen låses: en andra start på
samma data vägras och säger var den första körs. Adresserna skrivs till .data/stack.json, där submit,
diarium och insatser:import hittar dem. Stoppa med Ctrl-C.

Miljövariabler (portar; 0 = valfri ledig port):
  SMTP_PORT (2525)  S3_PORT (4569)  DYNAMODB_PORT (8000)  SES_PORT (8005)  HTTP_PORT (3000)  AWS_API_PORT (4010)
  RAPPORTFLODE_DATA  datakatalog (standard .data/ i repot; relativ till katalogen du står i)
  LOCAL_IAM          enforce (standard), record eller off

  -h, --help  visa den här hjälpen`;

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(HJALP);
  process.exit(0);
}
if (argv.length > 0) {
  console.error(`Okänd flagga ${argv[0]}. Se npm start -- --help.`);
  process.exit(64);
}

const port = (name: string, def: number) => Number(process.env[name] ?? def);
const started = Date.now();
const dataDir = dataDirFrom(process.env);
console.log('Startar Rapportflöde lokalt …');
// Loaded after the flags are checked: --help answers at once, without loading the CDK app.
const { startLocalStack } = await import('./stack.js');
let stack: Awaited<ReturnType<typeof startLocalStack>>;
try {
  stack = await startLocalStack({
    dataDir,
    ports: {
      smtp: port('SMTP_PORT', 2525),
      s3: port('S3_PORT', 4569),
      dynamodb: port('DYNAMODB_PORT', 8000),
      ses: port('SES_PORT', 8005),
      http: port('HTTP_PORT', 3000),
      aws: port('AWS_API_PORT', 4010),
    },
    oidcPort: port('OIDC_PORT', 4011),
  });
} catch (err) {
  // What the operator can fix is said in one Swedish message; anything else keeps its trace for a bug report.
  if (err instanceof StartRefusedError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
console.log(`
  SMTP (skicka rapporter hit):   ${stack.urls.smtp}
  Utkorg (skickad e-post):       ${stack.urls.outbox}
  Beslutssidor och postlista:    ${stack.urls.http}/beslut/…  ${stack.urls.http}/postlista
  Kansliets diarium (logga in):  ${stack.urls.http}/kansli  (demoanvändare: registrator, handlaggare, lasare)
  OIDC-utfärdare (inloggning):   ${stack.urls.oidc}
  S3 (inkorgens bucket "${stack.bucket}"): ${stack.urls.s3}
  DynamoDB Local (tabell "${stack.table}"): ${stack.urls.dynamodb}
  Step Functions/EventBridge-API: ${stack.urls.aws}
  Data sparas i ${dataDir} (adresserna i stack.json) · startade på ${((Date.now() - started) / 1000).toFixed(1).replace('.', ',')} s

  Skicka en rapport:  npm run submit -- rapport.docx
Redo.`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.log('Stänger av …');
  void stack.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
