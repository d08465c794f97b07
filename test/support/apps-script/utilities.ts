import { createHash, randomUUID } from 'node:crypto';
import type { Bytes, Utilities } from '../../../apps-script/types/apps-script.ts';
import type { Execution } from './clock.ts';

/** Java bytes (-128..127), which is what Apps Script's byte arrays hold. */
function toJavaBytes(buffer: Uint8Array): Bytes {
  return Array.from(buffer, (b) => (b > 127 ? b - 256 : b));
}

function fromJavaBytes(bytes: Bytes): Buffer {
  return Buffer.from(bytes.map((b) => b & 0xff));
}

const DIGESTS = { MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' } as const;

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
}

/** The wall-clock fields of an instant in a zone, via Intl (Node has full ICU). */
function fieldsIn(ms: number, timeZone: string): Fields {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')) % 24,
    minute: Number(get('minute')),
    second: Number(get('second')),
    millisecond: ((ms % 1000) + 1000) % 1000,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
  };
}

function offsetMinutes(ms: number, timeZone: string): number {
  const f = fieldsIn(ms, timeZone);
  return Math.round((Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - (ms - f.millisecond)) / 60_000);
}

/** The instant whose wall clock in `timeZone` shows these fields (DST gaps resolve forward). */
export function instantOf(f: Omit<Fields, 'weekday'>, timeZone: string): number {
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond);
  let guess = wall - offsetMinutes(wall, timeZone) * 60_000;
  guess = wall - offsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** SimpleDateFormat patterns as tokens: letter runs and quoted literals. */
function tokens(pattern: string): { letter: string; width: number; literal?: string }[] {
  const out: { letter: string; width: number; literal?: string }[] = [];
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i]!;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      const text = pattern.slice(i + 1, end === -1 ? undefined : end);
      out.push({ letter: '', width: 0, literal: text === '' ? "'" : text });
      i = end === -1 ? pattern.length : end + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (pattern[j] === ch) j++;
      out.push({ letter: ch, width: j - i });
      i = j;
    } else {
      out.push({ letter: '', width: 0, literal: ch });
      i++;
    }
  }
  return out;
}

const pad = (n: number, w: number) => String(Math.abs(n)).padStart(w, '0');

export function formatDate(date: Date, timeZone: string, pattern: string): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new Error('Invalid argument: date');
  const f = fieldsIn(ms, timeZone);
  return tokens(pattern)
    .map((t) => {
      if (t.literal !== undefined) return t.literal;
      switch (t.letter) {
        case 'y':
          return t.width === 2 ? pad(f.year % 100, 2) : pad(f.year, Math.max(t.width, 4));
        case 'M':
          return t.width >= 4 ? MONTHS[f.month - 1] : t.width === 3 ? MONTHS[f.month - 1]!.slice(0, 3) : pad(f.month, t.width);
        case 'd':
          return pad(f.day, t.width);
        case 'H':
          return pad(f.hour, t.width);
        case 'h':
          return pad(f.hour % 12 || 12, t.width);
        case 'm':
          return pad(f.minute, t.width);
        case 's':
          return pad(f.second, t.width);
        case 'S':
          return pad(f.millisecond, 3).slice(0, t.width);
        case 'a':
          return f.hour < 12 ? 'AM' : 'PM';
        case 'E':
          return t.width >= 4 ? DAYS[f.weekday] : DAYS[f.weekday]!.slice(0, 3);
        case 'Z':
        case 'X': {
          const off = offsetMinutes(ms, timeZone);
          if (t.letter === 'X' && off === 0) return 'Z';
          const sign = off < 0 ? '-' : '+';
          return t.letter === 'X' && t.width >= 3
            ? `${sign}${pad(Math.floor(Math.abs(off) / 60), 2)}:${pad(Math.abs(off) % 60, 2)}`
            : `${sign}${pad(Math.floor(Math.abs(off) / 60), 2)}${pad(Math.abs(off) % 60, 2)}`;
        }
        default:
          throw new Error(`Illegal pattern character '${t.letter}'`);
      }
    })
    .join('');
}

/** Utilities.parseDate: numeric fields and literals, as the add-on uses it. */
export function parseDate(text: string, timeZone: string, pattern: string): Date {
  const f = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
  let pos = 0;
  const fail = (): never => {
    throw new Error(`Unparseable date: "${text}"`);
  };
  for (const t of tokens(pattern)) {
    if (t.literal !== undefined) {
      if (text.slice(pos, pos + t.literal.length) !== t.literal) fail();
      pos += t.literal.length;
      continue;
    }
    const m = /^\d+/.exec(text.slice(pos, pos + Math.max(t.width, t.letter === 'y' ? 4 : 2)));
    if (!m) fail();
    const n = Number(m![0]);
    pos += m![0].length;
    switch (t.letter) {
      case 'y':
        f.year = n;
        break;
      case 'M':
        f.month = n;
        break;
      case 'd':
        f.day = n;
        break;
      case 'H':
        f.hour = n;
        break;
      case 'm':
        f.minute = n;
        break;
      case 's':
        f.second = n;
        break;
      case 'S':
        f.millisecond = n;
        break;
      default:
        fail();
    }
  }
  if (pos !== text.length && !/^\s*$/.test(text.slice(pos))) fail();
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.hour > 23 || f.minute > 59 || f.second > 59) fail();
  return new Date(instantOf(f, timeZone));
}

/** The Utilities service, with sleep spending simulated time instead of real time. */
export function createUtilities(
  execution: () => Execution,
  makeDate: (ms: number) => Date,
): Utilities & {
  base64Encode(data: string | Bytes): string;
  base64Decode(text: string): Bytes;
  newBlob?: never;
} {
  return {
    formatDate: (date, timeZone, pattern) => formatDate(date, timeZone, pattern),
    parseDate: (text, timeZone, pattern) => makeDate(parseDate(text, timeZone, pattern).getTime()),
    sleep: (ms) => {
      if (ms > 300_000) throw new Error('Invalid argument: milliseconds (at most 300000)');
      execution().charge(ms);
    },
    base64Encode: (data) => (typeof data === 'string' ? Buffer.from(data, 'utf8') : fromJavaBytes(data)).toString('base64'),
    base64EncodeWebSafe: (data) =>
      (typeof data === 'string' ? Buffer.from(data, 'utf8') : fromJavaBytes(data))
        .toString('base64')
        .replace(/\+/g, '-')
        .replace(/\//g, '_'),
    base64Decode: (text) => toJavaBytes(Buffer.from(text, 'base64')),
    computeDigest: (algorithm, value) => {
      const name = DIGESTS[algorithm as keyof typeof DIGESTS];
      if (!name) throw new Error('Invalid argument: algorithm');
      return toJavaBytes(createHash(name).update(String(value), 'utf8').digest());
    },
    getUuid: () => randomUUID(),
    DigestAlgorithm: { SHA_256: 'SHA_256' },
  };
}
