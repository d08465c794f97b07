import type { ScalarType } from '../../shared/types.ts';
import type { TypedValue } from './model.ts';

export type Parsed = { ok: true; value: TypedValue } | { ok: false; expected: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Epoch milliseconds of a UTC date and time. Date.UTC reads years 0-99 as 1900-1999, so the
 * year is set on its own: '0099-01-01' stays in year 99.
 */
function utcMillis(y: number, m: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** BigQuery's DATE, DATETIME and TIMESTAMP range: years 0001 to 9999. */
const MIN_MILLIS = utcMillis(1, 1, 1);
const MAX_MILLIS = utcMillis(9999, 12, 31, 23, 59, 59);

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(utcMillis(y, m + 1, 0)).getUTCDate();
  return d <= days;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A typed fraction of a second (up to microseconds, BigQuery's precision) as the canonical value
 * keeps it: without trailing zeros, and none at all when it is zero, so `08:15:00.500` and
 * `08:15:00.5` are one query and `08:15:00.000` is `08:15:00`. Keeping it matters: cut to whole
 * seconds, `gte 08:15:00.5` would also match a row at 08:15:00.2.
 */
const fraction = (digits: string | undefined) => (digits ?? '').replace(/\.?0+$/, '');

/**
 * Parses what a user typed into the canonical value for a column type. Returns what was
 * expected instead of throwing, so the caller can name the column and the value.
 */
export function parseValue(type: ScalarType, raw: string): Parsed {
  const text = raw.trim();
  switch (type) {
    case 'INT64': {
      if (!/^[+-]?\d{1,20}$/.test(text)) return { ok: false, expected: 'a whole number' };
      const big = BigInt(text);
      if (big < INT64_MIN || big > INT64_MAX) return { ok: false, expected: 'a whole number within INT64 range' };
      return { ok: true, value: big.toString() };
    }
    case 'NUMERIC': {
      const m = /^([+-]?)(\d{1,29})(?:\.(\d{1,9}))?$/.exec(text);
      if (!m) return { ok: false, expected: 'a decimal number such as 6.5' };
      const int = m[2]!.replace(/^0+(?=\d)/, '');
      const frac = (m[3] ?? '').replace(/0+$/, '');
      const sign = m[1] === '-' && (int !== '0' || frac !== '') ? '-' : '';
      return { ok: true, value: `${sign}${int}${frac ? '.' + frac : ''}` };
    }
    case 'FLOAT64': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { ok: false, expected: 'a number' };
      return { ok: true, value: n };
    }
    case 'BOOL': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === '1') return { ok: true, value: true };
      if (lower === 'false' || lower === '0') return { ok: true, value: false };
      return { ok: false, expected: 'true or false' };
    }
    case 'DATE': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!)) return { ok: false, expected: 'a date as YYYY-MM-DD' };
      return { ok: true, value: text };
    }
    case 'DATETIME': {
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?$/.exec(text);
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!) || +(m[4] ?? 0) > 23 || +(m[5] ?? 0) > 59 || +(m[6] ?? 0) > 59) {
        return { ok: false, expected: 'a date and time as YYYY-MM-DDTHH:MM:SS' };
      }
      return { ok: true, value: `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${fraction(m[7])}` };
    }
    case 'TIMESTAMP': {
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(text);
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!) || +(m[4] ?? 0) > 23 || +(m[5] ?? 0) > 59 || +(m[6] ?? 0) > 59) {
        return { ok: false, expected: 'a timestamp as YYYY-MM-DDTHH:MM:SSZ' };
      }
      let ms = utcMillis(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
      const zone = m[8]?.toUpperCase();
      if (zone && zone !== 'Z' && zone !== 'UTC') {
        // The zone matched [+-]HH:?MM above, so its sign is the first character and the digits follow.
        const digits = zone.slice(1).replace(':', '');
        const hours = Number(digits.slice(0, 2));
        const minutes = Number(digits.slice(2));
        if (hours > 14 || minutes > 59) return { ok: false, expected: 'a timestamp as YYYY-MM-DDTHH:MM:SSZ (offsets up to ±14:00)' };
        const offset = (hours * 60 + minutes) * 60_000;
        ms += zone.startsWith('+') ? -offset : offset;
      }
      // An offset can carry 9999-12-31 past the year 9999, which BigQuery cannot read.
      if (!(ms >= MIN_MILLIS && ms <= MAX_MILLIS)) return { ok: false, expected: 'a timestamp between 0001-01-01 and 9999-12-31 UTC' };
      const d = new Date(ms);
      return {
        ok: true,
        value: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction(m[7])}Z`,
      };
    }
    case 'TIME': {
      const m = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?$/.exec(text);
      if (!m || +m[1]! > 23 || +m[2]! > 59 || +(m[3] ?? 0) > 59) return { ok: false, expected: 'a time as HH:MM:SS' };
      return { ok: true, value: `${m[1]}:${m[2]}:${m[3] ?? '00'}${fraction(m[4])}` };
    }
    case 'STRING':
      return { ok: true, value: raw };
  }
}

/** The day after a DATE, for inclusive `to=` on DATETIME/TIMESTAMP columns. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(utcMillis(y, m, d + 1));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** Types an aggregate or ORDER can compare and sum. */
export const NUMERIC_TYPES: ReadonlySet<ScalarType> = new Set(['INT64', 'NUMERIC', 'FLOAT64']);
