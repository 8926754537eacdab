import path from 'node:path';
import { startLocalStack } from './stack.js';

const port = (name: string, def: number) => Number(process.env[name] ?? def);
const started = Date.now();
console.log('Startar Rapportflöde lokalt …');
const stack = await startLocalStack({
  dataDir: path.resolve(process.env['RAPPORTFLODE_DATA'] ?? '.data'),
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
console.log(`
  SMTP (skicka rapporter hit):   ${stack.urls.smtp}
  Utkorg (skickad e-post):       ${stack.urls.outbox}
  Beslutssidor och postlista:    ${stack.urls.http}/beslut/…  ${stack.urls.http}/postlista
  Kansliets diarium (logga in):  ${stack.urls.http}/kansli  (demoanvändare: registrator, handlaggare, lasare)
  OIDC-utfärdare (inloggning):   ${stack.urls.oidc}
  S3 (inkorgens bucket "${stack.bucket}"): ${stack.urls.s3}
  DynamoDB Local (tabell "${stack.table}"): ${stack.urls.dynamodb}
  Step Functions/EventBridge-API: ${stack.urls.aws}
  Data sparas i .data/ · startade på ${((Date.now() - started) / 1000).toFixed(1)} s

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
