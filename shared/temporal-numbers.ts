/**
 * DATE, DATETIME and TIMESTAMP cells as numbers, for `format=values&dates=serial`: the Worker
 * writes them (worker/format/cells.ts) and the Sheets add-on reads them back into the ISO text
 * the API serves without the option (apps-script/api/client.ts), so everything after the
 * request is the same code either way. Integer arithmetic only: no float ever makes the text.
 *
 * - DATE: the Google Sheets serial day, days since 1899-12-30 (2026-01-01 is 46023;
 *   https://support.google.com/docs/answer/3092969: "It counts the days since December 30, 1899").
 * - DATETIME: the serial day plus the time as a fraction of the day, to 12 decimals (under
 *   0.1 µs), trailing zeros dropped. A time is rarely an exact decimal fraction of a day
 *   (1 s is 1/86,400), so this is the one rounded form: rounding (value × 86,400) to the
 *   microsecond gives the time back exactly.
 * - TIMESTAMP: Unix epoch seconds, exact: the warehouse's fraction of a second (to the
 *   microsecond) follows the point as written, trailing zeros dropped.
 *
 * Values before the epoch are negative and continuous (a day's fraction is added to its
 * serial, so 1899-12-29T12:00:00 is -0.5), as JavaScript and Sheets count time.
 */
import type { ScalarType } from './types.ts';

/** Days from 1899-12-30, Sheets' day 0, to 1970-01-01, the Unix epoch. */
const SERIAL_EPOCH_OFFSET = 25_569;
const MICROS_PER_DAY = 86_400_000_000;

/** The types `dates=serial` writes as numbers; every other type is written as without it. */
export const NUMBERED_TYPES: ReadonlySet<ScalarType> = new Set(['DATE', 'DATETIME', 'TIMESTAMP']);

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** The date of a day count since 1970-01-01, as 'YYYY-MM-DD'. */
function civilFromDays(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const trimZeros = (digits: string) => digits.replace(/0+$/, '');

/** `whole` + `numerator`/10^width as decimal text, for a whole part of either sign. */
function decimal(whole: number, numerator: number, width: number): string {
  if (numerator === 0) return String(whole);
  // A negative whole part plus a positive fraction is -(|whole| - 1).(1 - fraction).
  if (whole < 0) return `-${-whole - 1}.${trimZeros(pad(10 ** width - numerator, width))}`;
  return `${whole}.${trimZeros(pad(numerator, width))}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;

/**
 * A cell's ISO text as the number `dates=serial` sends, as JSON number text; null for a type
 * it does not number or text not in the API's canonical form (which then goes out as it is).
 * @example temporalNumber('DATE', '2026-01-01') // '46023'
 * temporalNumber('DATETIME', '2026-01-01T12:00:00') // '46023.5'
 * temporalNumber('TIMESTAMP', '2026-01-01T15:46:09.25Z') // '1767282369.25'
 */
export function temporalNumber(type: ScalarType, iso: string): string | null {
  switch (type) {
    case 'DATE': {
      const m = DATE.exec(iso);
      return m ? String(daysFromCivil(+m[1]!, +m[2]!, +m[3]!) + SERIAL_EPOCH_OFFSET) : null;
    }
    case 'DATETIME': {
      const m = DATETIME.exec(iso);
      if (!m) return null;
      const serial = daysFromCivil(+m[1]!, +m[2]!, +m[3]!) + SERIAL_EPOCH_OFFSET;
      const micros = ((+m[4]! * 60 + +m[5]!) * 60 + +m[6]!) * 1e6 + Number((m[7] ?? '').padEnd(6, '0'));
      // micros / 86,400e6 to 12 decimals is micros × 625/54, rounded half up; every term
      // stays below 2^53, so the integers are exact.
      const twelfths = Math.floor((micros * 1250 + 54) / 108);
      return decimal(serial, twelfths, 12);
    }
    case 'TIMESTAMP': {
      const m = TIMESTAMP.exec(iso);
      if (!m) return null;
      const seconds = daysFromCivil(+m[1]!, +m[2]!, +m[3]!) * 86_400 + (+m[4]! * 60 + +m[5]!) * 60 + +m[6]!;
      return decimal(seconds, Number((m[7] ?? '').padEnd(6, '0')), 6);
    }
    default:
      return null;
  }
}

/** A decimal as its sign, whole part and fraction digits (no exponent), or null. */
function splitDecimal(text: string): { negative: boolean; whole: string; fraction: string } | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!m) return null;
  let whole = m[2]!;
  let fraction = m[3] ?? '';
  const shift = Number(m[4] ?? 0);
  // Exponent forms (1.2e-11, as other JSON writers send small numbers): move the point.
  if (shift < 0) {
    const digits = whole.padStart(-shift + 1, '0');
    fraction = digits.slice(digits.length + shift) + fraction;
    whole = digits.slice(0, digits.length + shift);
  } else if (shift > 0) {
    const digits = fraction.padEnd(shift, '0');
    whole += digits.slice(0, shift);
    fraction = digits.slice(shift);
  }
  return { negative: m[1] === '-', whole, fraction };
}

/** The first `width` fraction digits as an integer, rounded half up on the rest. */
function roundedDigits(fraction: string, width: number): number {
  const kept = Number(fraction.slice(0, width).padEnd(width, '0'));
  return fraction.length > width && fraction[width]! >= '5' ? kept + 1 : kept;
}

/** A value in whole units (days or seconds) and microseconds past the last whole unit. */
interface Units {
  readonly units: number;
  readonly micros: number;
}

/** Exact, from the decimal text: the fraction's digits are read, never a float. */
function fromDecimalText(text: string, unitMicros: number): Units | null {
  const parts = splitDecimal(text);
  if (!parts) return null;
  const whole = Number(parts.whole);
  if (!Number.isSafeInteger(whole)) return null;
  // A day's fraction needs twelve digits to round to the microsecond (0.0864 µs each), and
  // F × 864 / 10,000 stays below 2^53; a second's needs six.
  const micros =
    unitMicros === MICROS_PER_DAY
      ? Math.floor((roundedDigits(parts.fraction, 12) * 864 + 5000) / 10_000)
      : roundedDigits(parts.fraction, 6);
  if (!parts.negative || micros === 0) return carry(parts.negative ? -whole : whole, micros, unitMicros);
  return carry(-whole - 1, unitMicros - micros, unitMicros);
}

/**
 * From a JSON number as JSON.parse reads it. Taking the whole part off a float is exact, so
 * the only error is the float's own: half its step, which is under half a microsecond for a
 * DATETIME between 1720-07-25 and 2079-06-05 (a serial day under 2^16 in size) and a
 * TIMESTAMP between 1697-10-17 and 2242-03-16 (under 2^33 epoch seconds). Beyond that a
 * value within one step of a whole second is that second, so whole seconds come back exactly
 * to the year 9999.
 */
function fromFloat(value: number, unitMicros: number): Units | null {
  if (!Number.isFinite(value)) return null;
  const units = Math.floor(value);
  if (!Number.isSafeInteger(units)) return null;
  const exact = carry(units, Math.round((value - units) * unitMicros), unitMicros);
  const step = Math.abs(value) < 1 ? 0 : 2 ** (Math.floor(Math.log2(Math.abs(value))) - 52) * unitMicros;
  // Below this step rounding to the microsecond is exact (DATETIME text is itself off by up to 0.043 µs).
  if (step < 0.9) return exact;
  const second = Math.round(exact.micros / 1e6) * 1e6;
  return Math.abs(exact.micros - second) <= step ? carry(exact.units, second, unitMicros) : exact;
}

function carry(units: number, micros: number, unitMicros: number): Units {
  return micros >= unitMicros ? { units: units + 1, micros: micros - unitMicros } : { units, micros };
}

function isoTime(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  const fraction = micros - seconds * 1e6;
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  return fraction === 0 ? time : `${time}.${trimZeros(pad(fraction, 6))}`;
}

/**
 * A number `dates=serial` sent, back as the ISO text the API serves without the option; null
 * when it is not such a number. Exact from the decimal text (a string); from a JSON number
 * (what JSON.parse gives, as in Apps Script) see fromFloat for how far a float holds it.
 * @example temporalText('DATE', 46023) // '2026-01-01'
 * temporalText('TIMESTAMP', 1767282369.25) // '2026-01-01T15:46:09.25Z'
 */
export function temporalText(type: ScalarType, value: number | string): string | null {
  if (!NUMBERED_TYPES.has(type)) return null;
  const unitMicros = type === 'TIMESTAMP' ? 1e6 : MICROS_PER_DAY;
  const read = typeof value === 'number' ? fromFloat(value, unitMicros) : fromDecimalText(value, unitMicros);
  if (!read) return null;
  if (type === 'DATE') return read.micros === 0 ? civilFromDays(read.units - SERIAL_EPOCH_OFFSET) : null;
  if (type === 'DATETIME') return `${civilFromDays(read.units - SERIAL_EPOCH_OFFSET)}T${isoTime(read.micros)}`;
  const days = Math.floor(read.units / 86_400);
  return `${civilFromDays(days)}T${isoTime((read.units - days * 86_400) * 1e6 + read.micros)}Z`;
}
