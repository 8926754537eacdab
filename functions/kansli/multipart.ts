import type middy from '@middy/core';
import httpMultipartBodyParser from '@middy/http-multipart-body-parser';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { storlekText } from '../../domain/diarium/registrera.js';
import { meddelandeSida, type Inloggad } from '../pages/kansli-pages.js';

/**
 * The largest file a kansli form takes (a paper scan, an insats register). A synchronous Lambda invocation carries
 * at most 6 MB (Lambda quotas) and API Gateway passes a binary body base64-encoded (4 bytes per 3), with the
 * form's other fields and the event around it: 4 MB of file stays under that. Larger scans go through
 * `npm run diarium -- registrera`; a form may set a lower limit of its own (the register import: 1 MB).
 */
export const MAX_WEBBFIL = 4 * 1024 * 1024;

/** Marks a body the multipart parser refused (too large, malformed): the handler answers it without the form. */
const MULTIPART_FEL = '__multipartFel';

/**
 * multipart/form-data for the kansli's uploads, beside the urlencoded forms: a body of another type passes
 * untouched. A refused body becomes a marker instead of a thrown error, so the page says in Swedish what went
 * wrong. The field size allows a pasted register (2 MB); the file size is the web limit.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function multipartBody(): middy.MiddlewareObj<any> {
  const parser = httpMultipartBodyParser({
    disableContentTypeError: true,
    busboy: { limits: { files: 1, fields: 40, fieldSize: 2 * 1024 * 1024, fileSize: MAX_WEBBFIL + 1 } },
  });
  return {
    before: async (request: middy.Request) => {
      try {
        await parser.before?.(request as Parameters<NonNullable<typeof parser.before>>[0]);
      } catch (err) {
        const status =
          typeof err === 'object' && err !== null && 'statusCode' in err && err.statusCode === 413
            ? 413
            : 400;
        (request.event as { body: unknown }).body = { [MULTIPART_FEL]: status };
      }
    },
  };
}

/** The page for a body the multipart parser refused, or null; it leads back to the form that was sent. */
export function multipartFel(
  body: unknown,
  path: string,
  who: Inloggad,
  html: (statusCode: number, body: string) => APIGatewayProxyStructuredResultV2,
): APIGatewayProxyStructuredResultV2 | null {
  if (typeof body !== 'object' || body === null || !(MULTIPART_FEL in body)) return null;
  const status = (body as Record<string, unknown>)[MULTIPART_FEL] === 413 ? 413 : 400;
  const registrera = path.startsWith('/kansli/registrera');
  const tillbaka = registrera
    ? { href: '/kansli/registrera', text: 'Till formuläret' }
    : { href: '/kansli/insatser/importera', text: 'Till importen' };
  return html(
    status,
    meddelandeSida(
      status === 413 ? 'Filen är för stor' : 'Formuläret kunde inte tas emot',
      status === 413
        ? `Filen är större än ${storlekText(MAX_WEBBFIL)}. Ingenting sparades.${registrera ? ' Registrera större skanningar med kommandot npm run diarium -- registrera.' : ''}`
        : 'Formuläret kunde inte läsas. Ingenting sparades. Ladda om sidan och försök igen.',
      who,
      tillbaka,
    ),
  );
}
