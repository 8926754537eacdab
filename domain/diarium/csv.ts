/** RFC 4180 CSV: comma, CRLF, fields quoted when they contain a comma, quote or line break. */
export function toCsv(rows: readonly (readonly string[])[], opts: { bom?: boolean } = {}): string {
  const body = rows.map((r) => r.map(csvField).join(',')).join('\r\n');
  // Excel reads UTF-8 only with a BOM; without it å/ä/ö turn into mojibake.
  return `${opts.bom ? '\uFEFF' : ''}${body}\r\n`;
}

function csvField(value: string): string {
  // A cell starting with = + - @ (or tab/CR) is run as a formula by Excel; sender-controlled text must not be.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Parses CSV (RFC 4180, also `;`-separated as Swedish Excel saves it); a leading BOM is ignored. */
export function parseCsv(text: string, delimiter?: ',' | ';' | '\t'): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const sep =
    delimiter ??
    ([';', '\t', ','] as const)
      .map((d) => ({ d, n: firstLine.split(d).length }))
      .sort((a, b) => b.n - a.n)[0]!.d;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}
