const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

let formatter: Intl.DateTimeFormat | undefined;
/** Europe/Stockholm's offset from UTC (ms) at an instant. */
function offsetAt(ms: number): number {
  formatter ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Stockholm',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p['year']!, +p['month']! - 1, +p['day']!, +p['hour']!, +p['minute']!, +p['second']!);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * A moment the kansli types: ISO-8601 with an offset (or Z) is taken as it is; without one it is Swedish
 * time (Europe/Stockholm, summer time included), which is what the kansli means. Null if not a moment.
 */
export function parseMoment(text: string): Date | null {
  const m = LOCAL.exec(text.trim());
  if (!m) {
    // Only a full date-time with an explicit offset is taken as it is (not Date's free-form guesses).
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim()))
      return null;
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, +ms.padEnd(3, '0'));
  const check = new Date(wall);
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h > 23 || +mi > 59 || +s > 59)
    return null;
  // The offset at the guess, then at the result: right on both sides of a summer-time change.
  let utc = wall - offsetAt(wall);
  utc = wall - offsetAt(utc);
  return new Date(utc);
}
