/**
 * Swedish local time. The formatters are made on first use: the first Intl.DateTimeFormat of a process loads
 * ICU's calendar and time zone data, a cost functions that never show a date should not pay at cold start
 * (docs/performance.md, Module init).
 */
function lazyFormatter(options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let formatter: Intl.DateTimeFormat | undefined;
  return () => (formatter ??= new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', ...options }));
}

const stockholmDate = lazyFormatter({ year: 'numeric', month: '2-digit', day: '2-digit' });

/** The ankomstdatum: the Europe/Stockholm calendar date of the moment the mail reached the server. */
export function ankomstdatum(receivedAtUtc: string): string {
  const d = new Date(receivedAtUtc);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Ogiltig tidpunkt: ${receivedAtUtc}`);
  // sv-SE formats as ÅÅÅÅ-MM-DD
  return stockholmDate().format(d);
}

const stockholmMinutes = lazyFormatter({
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** `2026-11-23 14:05` in Swedish local time, for mails and pages. */
export function svenskTidpunkt(isoUtc: string): string {
  return stockholmMinutes().format(new Date(isoUtc));
}

const stockholmSeconds = lazyFormatter({
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** `2026-11-23 14:05:09` in Swedish local time: the exact arrival as the kansli reads it. */
export function svenskTidpunktSekunder(isoUtc: string): string {
  return stockholmSeconds().format(new Date(isoUtc));
}
