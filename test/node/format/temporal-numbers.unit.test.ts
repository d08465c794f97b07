// dates=serial: DATE, DATETIME and TIMESTAMP cells of a values page as numbers
// (shared/temporal-numbers.ts), written by the Worker's cell writer and read back by the
// Sheets add-on. The numbers must give back exactly the ISO text the API serves without it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { temporalNumber, temporalText } from '../../../shared/temporal-numbers.ts';
import type { ScalarType } from '../../../shared/types.ts';
import { spreadsheetWriter } from '../../../worker/format/cells.ts';
import { ENCODERS } from '../../../worker/format/encoders.ts';
import { microsToTimestamp } from '../../../worker/warehouse/bigquery/rows.ts';

/** Every number the writer sends, read back both ways: from its exact text and as JSON.parse reads it. */
function roundTrip(type: ScalarType, iso: string) {
  const text = temporalNumber(type, iso);
  if (text === null) throw new Error(`${type} ${iso} was not numbered`);
  return { text, fromText: temporalText(type, text), fromJson: temporalText(type, JSON.parse(text) as number) };
}

/** Microseconds since 1970 of an ISO date-time text, any year of four or five digits. */
function microsOf(text: string): number {
  const m = /^(\d{4,5})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?Z?$/.exec(text);
  if (!m) throw new Error(`not a date-time: ${text}`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  return d.getTime() * 1000 + Number((m[7] ?? '').padEnd(6, '0'));
}

/** The distance from a float to the next one of the same size. */
const floatStep = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);

describe('dates=serial numbers', () => {
  it('writes DATE as the Google Sheets serial day, days since 1899-12-30, across leap days and the whole range', () => {
    const cases: [string, string][] = [
      ['1899-12-30', '0'],
      ['1899-12-31', '1'],
      ['1899-12-29', '-1'],
      ['1900-02-28', '60'],
      ['1900-03-01', '61'], // Sheets counts no 1900-02-29, the leap day Lotus and Excel invented
      ['1970-01-01', '25569'],
      ['2000-02-29', '36585'],
      ['2024-02-29', '45351'],
      ['2024-03-01', '45352'],
      ['2026-01-01', '46023'],
      ['9999-12-31', '2958465'],
      ['0001-01-01', '-693593'],
    ];
    for (const [iso, serial] of cases) {
      expect(roundTrip('DATE', iso), iso).toEqual({ text: serial, fromText: iso, fromJson: iso });
    }
  });

  it('writes TIMESTAMP as exact Unix epoch seconds, the fraction as the warehouse gave it and no trailing zeros', () => {
    const cases: [string, string][] = [
      ['1970-01-01T00:00:00Z', '0'],
      ['2026-01-01T15:46:09Z', '1767282369'],
      ['2026-01-01T15:46:09.5Z', '1767282369.5'],
      ['2026-01-01T15:46:09.123456Z', '1767282369.123456'],
      ['2026-01-01T15:46:09.000001Z', '1767282369.000001'],
      ['2024-02-29T23:59:59Z', '1709251199'],
      ['1969-12-31T23:59:59.5Z', '-0.5'],
      ['1899-12-30T00:00:00Z', '-2209161600'],
      ['0001-01-01T00:00:00Z', '-62135596800'],
      ['9999-12-31T23:59:59Z', '253402300799'],
    ];
    for (const [iso, seconds] of cases) {
      expect(roundTrip('TIMESTAMP', iso), iso).toEqual({ text: seconds, fromText: iso, fromJson: iso });
    }
    // The year 9999 to the microsecond needs more digits than a 64-bit float has: the text is
    // exact, JSON.parse is not.
    expect(roundTrip('TIMESTAMP', '9999-12-31T23:59:58.123456Z')).toMatchObject({
      text: '253402300798.123456',
      fromText: '9999-12-31T23:59:58.123456Z',
    });
  });

  it('writes DATETIME as the serial day plus the time as a fraction of the day, to 12 decimals', () => {
    const cases: [string, string][] = [
      ['1899-12-30T00:00:00', '0'],
      ['1899-12-30T00:00:00.000001', '0.000000000012'],
      ['1899-12-29T12:00:00', '-0.5'],
      ['1900-03-01T06:00:00', '61.25'],
      ['2024-02-29T08:15:00', '45351.34375'],
      ['2026-01-01T12:00:00', '46023.5'],
      ['2026-01-01T08:15:01', '46023.343761574074'],
      ['2026-01-01T23:59:59.999999', '46023.999999999988'],
      ['9999-12-31T23:59:59', '2958465.999988425926'],
    ];
    for (const [iso, serial] of cases) {
      expect(roundTrip('DATETIME', iso), iso).toEqual({ text: serial, fromText: iso, fromJson: iso });
    }
  });

  it('reads any date and time of 0001 to 9999 back exactly from the text, and through JSON.parse where a float holds it', () => {
    const instant = fc.record({
      // Date.UTC reads the years 0-99 as 1900-1999, so the year 1 is set on its own.
      ms: fc.integer({ min: new Date(0).setUTCFullYear(1, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59) }),
      micros: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999_999 })),
    });
    const isoOf = ({ ms, micros }: { ms: number; micros: number }) => {
      const d = new Date(Math.floor(ms / 1000) * 1000);
      const whole = `${String(d.getUTCFullYear()).padStart(4, '0')}-${d.toISOString().slice(5, 19)}`;
      return micros === 0 ? whole : `${whole}.${String(micros).padStart(6, '0').replace(/0+$/, '')}`;
    };
    fc.assert(
      fc.property(instant, (at) => {
        const iso = isoOf(at);
        const date = roundTrip('DATE', iso.slice(0, 10));
        expect(date.fromText).toBe(iso.slice(0, 10));
        expect(date.fromJson).toBe(iso.slice(0, 10));
        const datetime = roundTrip('DATETIME', iso);
        expect(datetime.fromText).toBe(iso);
        // A float's step is under half a microsecond for a serial day below 2^16 in size
        // (1720-07-25 to 2079-06-05) and for epoch seconds below 2^33 (1697-10-17 to 2242-03-16).
        if (at.micros === 0 || Math.abs(Number(datetime.text)) < 2 ** 16) expect(datetime.fromJson).toBe(iso);
        // Past that the time read back is off by at most two float steps and a microsecond (the
        // parse, the rounding, and the snap to a whole second, even the next day's first:
        // 9999-12-31T23:59:59.99994 reads as year 10000).
        else
          expect(Math.abs(microsOf(datetime.fromJson!) - microsOf(iso))).toBeLessThanOrEqual(
            2 * floatStep(Number(datetime.text)) * 86_400e6 + 1,
          );
        const timestamp = roundTrip('TIMESTAMP', `${iso}Z`);
        expect(timestamp.fromText).toBe(`${iso}Z`);
        if (at.micros === 0 || Math.abs(Number(timestamp.text)) < 2 ** 33) expect(timestamp.fromJson).toBe(`${iso}Z`);
        else
          expect(Math.abs(microsOf(timestamp.fromJson!) - microsOf(iso))).toBeLessThanOrEqual(
            2 * floatStep(Number(timestamp.text)) * 1e6 + 1,
          );
        expect(timestamp.text).not.toMatch(/\.\d*0$|e/);
        expect(datetime.text).not.toMatch(/\.\d*0$|e/);
      }),
      { numRuns: 3000 },
    );
  });

  it("writes BigQuery's TIMESTAMP microseconds as epoch seconds digit for digit, over the whole range", () => {
    const micros = fc.bigInt({ min: -62_135_596_800_000_000n, max: 253_402_300_799_999_999n });
    fc.assert(
      fc.property(micros, (us) => {
        const sign = us < 0n ? '-' : '';
        const abs = us < 0n ? -us : us;
        const fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
        const seconds = `${sign}${abs / 1_000_000n}${fraction ? `.${fraction}` : ''}`;
        expect(temporalNumber('TIMESTAMP', microsToTimestamp(us))).toBe(seconds === '-0' ? '0' : seconds);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves alone what it does not number: TIME, nulls, text not in the canonical form', () => {
    const serial = (type: ScalarType) => spreadsheetWriter(type, 'serial');
    expect(serial('TIME')('08:15:00')).toBe('"08:15:00"');
    expect(serial('DATE')(null)).toBe('""');
    expect(serial('TIMESTAMP')(null)).toBe('""');
    expect(serial('DATE')('2026-1-1')).toBe('"2026-1-1"');
    expect(serial('TIMESTAMP')('2026-01-01 15:46:09 UTC')).toBe('"2026-01-01 15:46:09 UTC"');
    expect(serial('INT64')('42')).toBe('42');
    expect(serial('STRING')('=1+2')).toBe(`"'=1+2"`);
    expect(temporalText('TIME', 0.5)).toBeNull();
    expect(temporalText('DATE', 46023.5)).toBeNull();
    expect(temporalText('DATE', Number.NaN)).toBeNull();
    expect(temporalText('TIMESTAMP', 'soon')).toBeNull();
  });

  it('writes a values row with dates as numbers, and without the option byte for byte as before', () => {
    const columns = [
      { name: 'local_date', type: 'DATE' },
      { name: 'account_datetime', type: 'DATETIME' },
      { name: 'utc_timestamp', type: 'TIMESTAMP' },
      { name: 'time', type: 'TIME' },
      { name: 'user_name', type: 'STRING' },
    ] as const;
    const cells = ['2026-01-01', '2026-01-01T12:00:00', '2026-01-01T15:46:09Z', '08:15:00', 'ana'];
    expect(ENCODERS.values.compile(columns, 'serial')(cells, 0)).toBe(',[46023,46023.5,1767282369,"08:15:00","ana"]');
    const iso = ',["2026-01-01","2026-01-01T12:00:00","2026-01-01T15:46:09Z","08:15:00","ana"]';
    expect(ENCODERS.values.compile(columns)(cells, 0)).toBe(iso);
    expect(ENCODERS.values.compile(columns, 'iso')(cells, 0)).toBe(iso);
    // The other formats have no serial form: the parser refuses dates=serial for them.
    expect(ENCODERS.csv.compile(columns, 'serial')(cells, 0)).toBe(ENCODERS.csv.compile(columns)(cells, 0));
  });
});
