import { afterEach, describe, expect, it } from 'vitest';
import { decodeRange, encodeRange, RangeStore, type SavedRange } from '../../../apps-script/refresh/store.ts';
import { nextDue } from '../../../apps-script/refresh/schedule.ts';
import { formatDate, parseDate } from '../../support/apps-script/utilities.ts';
import { AppsScriptWorld } from '../../support/apps-script/world.ts';

// Each inserted range remembers its query in DocumentProperties: 9 KB a value, 500 KB a store.

const worlds: AppsScriptWorld[] = [];
afterEach(async () => Promise.all(worlds.splice(0).map((w) => w.close())));

const range: SavedRange = {
  id: 'r1',
  sheetId: 123456,
  row: 1,
  column: 1,
  spec: {
    view: 'daily_user_summary',
    select: ['user_id', 'local_date', 'user_name'],
    from: '2026-09-01',
    filters: { productivity: ['eq.Productive'] },
  },
  mode: 'append',
  every: 'hour',
  atHour: 6,
  durations: 'seconds',
  rows: 1200,
  width: 3,
  mark: '2026-10-04',
  etag: '"abc"',
  etagFor: 'fp',
  last: { at: 1_790_000_000_000, result: 'ok', written: 40 },
  job: {
    cursor: 'eyJxIjoi.sig',
    written: 300,
    startedAt: 1_790_000_000_000,
    runs: 2,
    since: '2026-10-03',
    newMark: null,
    reason: 'schedule',
    etag: null,
  },
  nextDue: null,
};

function store() {
  const world = new AppsScriptWorld({});
  worlds.push(world);
  return <T>(body: (s: RangeStore) => T): T => {
    const result = world.direct('editor', (services) => body(new RangeStore(services.PropertiesService.getDocumentProperties()!)));
    if (result.error !== undefined) throw new Error(result.error);
    return result.value as T;
  };
}

describe('saved ranges', () => {
  it('round-trip through a compact encoding', () => {
    const text = encodeRange(range);
    expect(decodeRange(text)).toEqual(range);
    expect(text.length).toBeLessThan(400);
    expect(text).not.toContain('"spec"');
  });

  it('refuse a query too long for one property value, with what to shorten', () => {
    const run = store();
    const huge = {
      ...range,
      spec: { ...range.spec, filters: { user_id: [`in.(${Array.from({ length: 2000 }, (_, i) => i).join(',')})`] } },
    };
    expect(() => run((s) => s.save(huge))).toThrow(
      /^This query is too long to save for refreshing \(\d+ KB; a saved query holds at most 9 KB\)\. Use fewer filter values or columns\.$/,
    );
  });

  it('refuse one more range when the document store is full', () => {
    const run = store();
    const big = (i: number) => ({ ...range, id: `r${i}`, spec: { ...range.spec, filters: { titlebar: [`like.*${'x'.repeat(8500)}*`] } } });
    expect(() =>
      run((s) => {
        for (let i = 0; i < 60; i++) s.save(big(i));
      }),
    ).toThrow(
      'This spreadsheet has too many saved ActivTrak ranges to add another. Remove some under ActivTrak > Manage scheduled refreshes.',
    );
  });

  it('list, update and remove', () => {
    const run = store();
    run((s) => s.save(range));
    run((s) => s.save({ ...range, id: 'r2', row: 50 }));
    expect(run((s) => s.list().map((r) => r.id))).toEqual(['r1', 'r2']);
    run((s) => s.save({ ...range, rows: 5 }));
    expect(run((s) => s.get('r1')!.rows)).toBe(5);
    run((s) => s.remove('r1'));
    expect(run((s) => s.list().map((r) => r.id))).toEqual(['r2']);
  });
});

describe('schedules', () => {
  const utilities = { formatDate, parseDate };
  it('an hourly range is due again within the hour, whatever minute the trigger fires at', () => {
    expect(nextDue({ every: 'hour', atHour: 0 }, Date.UTC(2026, 9, 5, 10, 7), 'UTC', utilities)).toBe(Date.UTC(2026, 9, 5, 10, 57));
  });

  it('a daily range is due at its hour in the spreadsheet zone, across daylight saving changes', () => {
    const ny = 'America/New_York';
    expect(nextDue({ every: 'day', atHour: 6 }, Date.UTC(2026, 9, 5, 9, 0), ny, utilities)).toBe(Date.UTC(2026, 9, 5, 10, 0));
    expect(nextDue({ every: 'day', atHour: 6 }, Date.UTC(2026, 9, 5, 10, 1), ny, utilities)).toBe(Date.UTC(2026, 9, 6, 10, 0));
    // New York falls back on 2026-11-01: 06:00 is 10:00 UTC before and 11:00 UTC after.
    expect(nextDue({ every: 'day', atHour: 6 }, Date.UTC(2026, 9, 31, 12, 0), ny, utilities)).toBe(Date.UTC(2026, 10, 1, 11, 0));
    expect(nextDue({ every: 'off', atHour: 6 }, Date.UTC(2026, 9, 31, 12, 0), ny, utilities)).toBeNull();
  });
});
