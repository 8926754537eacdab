/**
 * The files inside Outlook's winmail.dat (TNEF, Microsoft's [MS-OXTNEF]). Outlook sends one when a message is
 * written in its rich text format; the recipient's program then sees winmail.dat instead of the attached report.
 *
 * Read defensively: every length is checked against the bytes that are there, checksums are not trusted or
 * required, and a stream that breaks off yields the files read so far. Only files with content come out;
 * embedded messages and OLE objects (attachments of other kinds) are skipped, and a winmail.dat inside one is
 * not opened again (the mail keeps it as an attachment).
 */

export interface TnefFile {
  filename: string;
  content: Uint8Array;
}

export interface TnefResult {
  files: TnefFile[];
  /** False when the stream broke off or was malformed before its end. */
  complete: boolean;
}

const SIGNATURE = 0x223e9f78;
const LEVEL_MESSAGE = 0x01;
const LEVEL_ATTACHMENT = 0x02;

// Attribute ids (the low 16 bits of the attribute; the high 16 bits give its type).
const ATT_OEM_CODEPAGE = 0x9007;
const ATT_ATTACH_REND_DATA = 0x9002; // starts each attachment
const ATT_ATTACH_TITLE = 0x8010;
const ATT_ATTACH_DATA = 0x800f;
const ATT_ATTACHMENT = 0x9005; // the attachment's MAPI properties

// MAPI property ids and types used here.
const PR_DISPLAY_NAME = 0x3001;
const PR_ATTACH_DATA = 0x3701;
const PR_ATTACH_FILENAME = 0x3704;
const PR_ATTACH_LONG_FILENAME = 0x3707;
const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_BINARY = 0x0102;
const PT_OBJECT = 0x000d;
const MV_FLAG = 0x1000;
const FIXED_SIZE: Record<number, number> = {
  0x0002: 4, // PT_SHORT, padded
  0x0003: 4, // PT_LONG
  0x0004: 4, // PT_FLOAT
  0x0005: 8, // PT_DOUBLE
  0x0006: 8, // PT_CURRENCY
  0x0007: 8, // PT_APPTIME
  0x000a: 4, // PT_ERROR
  0x000b: 4, // PT_BOOLEAN, padded
  0x0014: 8, // PT_I8
  0x0040: 8, // PT_SYSTIME
  0x0048: 16, // PT_CLSID
};

/** More files than this in one winmail.dat are not unpacked (the mail's own attachment limit still applies). */
const MAX_FILES = 100;

class Truncated extends Error {}

class Reader {
  pos = 0;
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left(): number {
    return this.bytes.length - this.pos;
  }
  need(n: number): void {
    if (n < 0 || n > this.left) throw new Truncated();
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

const pad4 = (n: number): number => (n + 3) & ~3;

function decode(bytes: Uint8Array, encoding: string): string {
  let text: string;
  try {
    text = new TextDecoder(encoding).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  // Strings are NUL-terminated (and padded): cut at the first NUL.
  const nul = text.indexOf('\0');
  return (nul >= 0 ? text.slice(0, nul) : text).trim();
}

interface Pending {
  title?: string;
  longName?: string;
  shortName?: string;
  displayName?: string;
  data?: Uint8Array;
  mapiData?: Uint8Array;
}

/** The properties of one attachment that name it or hold its bytes; stops quietly at anything it cannot read. */
function readAttachmentProps(data: Uint8Array, into: Pending, codepage: string): void {
  const r = new Reader(data);
  try {
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const type = r.u16();
      const id = r.u16();
      if (id >= 0x8000) {
        r.take(16); // named property: its GUID
        const kind = r.u32();
        if (kind === 0) r.u32();
        else r.take(pad4(r.u32()));
      }
      const base = type & ~MV_FLAG;
      const fixed = FIXED_SIZE[base];
      if (fixed !== undefined) {
        const values = type & MV_FLAG ? r.u32() : 1;
        r.take(fixed * values);
        continue;
      }
      if (base !== PT_STRING8 && base !== PT_UNICODE && base !== PT_BINARY && base !== PT_OBJECT) return;
      const values = r.u32();
      for (let v = 0; v < values; v++) {
        const size = r.u32();
        const value = r.take(size);
        r.take(pad4(size) - size);
        if (v > 0 || type & MV_FLAG) continue;
        const text = () => decode(value, base === PT_UNICODE ? 'utf-16le' : codepage);
        if (id === PR_ATTACH_LONG_FILENAME && base !== PT_BINARY) into.longName = text();
        else if (id === PR_ATTACH_FILENAME && base !== PT_BINARY) into.shortName = text();
        else if (id === PR_DISPLAY_NAME && base !== PT_BINARY) into.displayName = text();
        // PT_OBJECT here is an embedded message or OLE object, not a file.
        else if (id === PR_ATTACH_DATA && base === PT_BINARY) into.mapiData = value;
      }
    }
  } catch (err) {
    if (!(err instanceof Truncated)) throw err;
  }
}

function codepageName(attribute: Uint8Array): string {
  if (attribute.length < 4) return 'windows-1252';
  const cp = new DataView(attribute.buffer, attribute.byteOffset, 4).getUint32(0, true);
  // 1252 (Western, Swedish included) unless Outlook said otherwise; UTF-8 and the windows-125x family by name.
  if (cp === 65001) return 'utf-8';
  if (cp >= 1250 && cp <= 1258) return `windows-${cp}`;
  if (cp === 28591) return 'iso-8859-1';
  return 'windows-1252';
}

/** The files in a TNEF stream; none (and complete) for bytes that are not TNEF. */
export function unpackTnef(bytes: Uint8Array): TnefResult {
  const r = new Reader(bytes);
  const files: TnefFile[] = [];
  let codepage = 'windows-1252';
  let current: Pending | null = null;
  const finish = (): void => {
    if (!current) return;
    const content = current.data ?? current.mapiData;
    const name = current.longName || current.title || current.shortName || current.displayName;
    if (content && content.length > 0 && files.length < MAX_FILES) {
      files.push({ filename: (name || `bilaga-${files.length + 1}`).slice(0, 255), content });
    }
    current = null;
  };
  try {
    if (r.u32() !== SIGNATURE) return { files: [], complete: true };
    r.u16(); // legacy key
    while (r.left > 0) {
      const level = r.u8();
      const id = r.u32() & 0xffff;
      const length = r.u32();
      const data = r.take(length);
      r.u16(); // checksum: not verified, Outlook's are not always right
      if (level === LEVEL_MESSAGE) {
        if (id === ATT_OEM_CODEPAGE) codepage = codepageName(data);
        continue;
      }
      if (level !== LEVEL_ATTACHMENT) return { files, complete: false };
      if (id === ATT_ATTACH_REND_DATA) {
        finish();
        current = {};
        continue;
      }
      current ??= {};
      if (id === ATT_ATTACH_TITLE) current.title = decode(data, codepage);
      else if (id === ATT_ATTACH_DATA) current.data = data;
      else if (id === ATT_ATTACHMENT) readAttachmentProps(data, current, codepage);
    }
    finish();
    return { files, complete: true };
  } catch (err) {
    if (!(err instanceof Truncated)) throw err;
    finish();
    return { files, complete: false };
  }
}
