// Unit: the demo generator under Node 22, where `npm run seed` runs it (no workerd, no D1).
import { describe, expect, it } from 'vitest';
import { VIEW_NAMES } from '../../../shared/views/index.ts';
import { DEMO_SIZES, generateDemo, type DemoOptions } from '../../../worker/demo/generate.ts';
import { Random } from '../../../worker/demo/random.ts';

const OPTIONS: DemoOptions = { seed: 'node', accountId: 417_001, endDate: '2025-11-05', ...DEMO_SIZES.tiny };

function snapshot(options: DemoOptions): string {
  const data = generateDemo(options);
  return VIEW_NAMES.map((name) => JSON.stringify([...data.tables[name].rows])).join('\n');
}

describe('generateDemo under Node', () => {
  it('gives identical rows for the same options, and different rows for another seed', () => {
    const first = snapshot(OPTIONS);
    expect(snapshot(OPTIONS)).toBe(first);
    expect(snapshot({ ...OPTIONS, seed: 'other' })).not.toBe(first);
  });

  it('streams: iterating a view twice regenerates the same rows', () => {
    const events = generateDemo(OPTIONS).tables.events;
    expect(JSON.stringify([...events.rows])).toBe(JSON.stringify([...events.rows]));
  });

  it('puts activity in the account time zone, UTC in utc_timestamp', () => {
    const data = generateDemo({ ...OPTIONS, timeZone: 'America/Los_Angeles' });
    const cols = data.tables.events.columns;
    const at = (name: string) => cols.indexOf(name);
    for (const row of data.tables.events.rows) {
      // Users on the account zone: account_datetime is local_datetime; and UTC is 7 or 8 hours ahead.
      if (row[at('timezonestring')] !== 'US/Pacific') continue;
      expect(row[at('account_datetime')]).toBe(row[at('local_datetime')]);
      const local = Date.parse(`${row[at('local_datetime')]}Z`);
      const utc = Date.parse(String(row[at('utc_timestamp')]));
      expect([7, 8]).toContain((utc - local) / 3_600_000);
    }
  });

  it('makes the large size big enough for benchmarks (over a million events)', () => {
    const data = generateDemo({ ...OPTIONS, endDate: '2025-06-30', ...DEMO_SIZES.large });
    let events = 0;
    for (const _ of data.tables.events.rows) events++;
    expect(events).toBeGreaterThanOrEqual(1_000_000);
  }, 120_000);
});

describe('Random', () => {
  it('repeats its sequence for the same seed parts and stays in range', () => {
    const a = new Random(1, 'x');
    const b = new Random(1, 'x');
    const c = new Random(1, 'y');
    const seqA = Array.from({ length: 100 }, () => a.int(1, 6));
    expect(Array.from({ length: 100 }, () => b.int(1, 6))).toEqual(seqA);
    expect(Array.from({ length: 100 }, () => c.int(1, 6))).not.toEqual(seqA);
    expect(new Set(seqA)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it('picks by weight and draws a roughly normal spread', () => {
    const rng = new Random('weights');
    let heads = 0;
    let sum = 0;
    let sumSq = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      if (
        rng.weighted([
          ['h', 3],
          ['t', 1],
        ] as const) === 'h'
      )
        heads++;
      const x = rng.normal(10, 2);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    expect(heads / n).toBeCloseTo(0.75, 1);
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(sumSq / n - mean * mean)).toBeCloseTo(2, 1);
  });
});
