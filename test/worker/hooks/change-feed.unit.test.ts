import { describe, expect, it } from 'vitest';
import { VIEW_NAMES, VIEWS } from '../../../shared/views/index.ts';
import { feedColumns, feedLimit, requireChangeColumn, rowId } from '../../../worker/hooks/change-feed.ts';
import { ApiError } from '../../../worker/http/errors.ts';

const apps = VIEWS.daily_application_summary; // feed order: local_date, user_id, computer_id, activity_type, application_or_site

describe('rowId', () => {
  it('joins the row key in rowKey order, whatever the feed order', () => {
    expect(rowId(VIEWS.daily_user_summary, ['2026-11-19', '1042'])).toBe('1042|2026-11-19');
    expect(rowId(VIEWS.events, ['2026-11-20T23:43:44Z', '210005', '88007'])).toBe('210005|88007|2026-11-20T23:43:44Z');
  });

  it('is the bare value for a one-column key', () => {
    expect(rowId(VIEWS.consumers, ['2026-11-16T06:39:34Z', '17'])).toBe('17');
  });

  it('never gives two different keys the same id, even with | and \\ inside values or NULLs', () => {
    const keys: [string | null, string | null][] = [
      ['a|b', 'c'],
      ['a', 'b|c'],
      ['a\\', '|c'],
      ['a\\|', 'c'],
      [null, 'x'],
      ['\\N', 'x'],
      ['', 'x'],
      ['N', 'x'],
    ];
    const ids = keys.map(([type, app]) => rowId(apps, ['2026-11-19', '1', '2', type, app]));
    expect(new Set(ids).size).toBe(keys.length);
    expect(ids[0]).toBe('1|2026-11-19|2|a\\|b|c');
    expect(ids[4]).toBe('1|2026-11-19|2|\\N|x');
  });
});

describe('feedColumns', () => {
  it.each(VIEW_NAMES.filter((n) => VIEWS[n].changeColumn !== null))(
    '%s: the change column first, then the rest of the row key, once each',
    (name) => {
      const view = VIEWS[name];
      const columns = feedColumns(view);
      expect(columns[0]).toBe(view.changeColumn);
      expect(new Set(columns).size).toBe(columns.length);
      expect(new Set(columns)).toEqual(new Set([view.changeColumn, ...view.rowKey]));
    },
  );

  it.each(VIEW_NAMES.filter((n) => VIEWS[n].changeColumn === null))('%s: refused with 400 quoting the view definition', (name) => {
    const view = VIEWS[name];
    let error: unknown;
    try {
      requireChangeColumn(view);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toContain(view.decisions.changeColumn);
  });
});

describe('feedLimit', () => {
  it('defaults to 100 and allows 1 to 1000', () => {
    expect(feedLimit(undefined)).toBe(100);
    // Blank is the default, as on /rows: form tools send empty fields (shared/query-vocabulary.ts).
    expect(feedLimit('')).toBe(100);
    expect(feedLimit('1')).toBe(1);
    expect(feedLimit('1000')).toBe(1000);
  });
  it.each(['0', '-1', '1.5', 'ten', '1001'])('refuses %j', (raw) => {
    expect(() => feedLimit(raw)).toThrow(ApiError);
  });
});
