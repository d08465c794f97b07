// Unit: how the BigQuery stand-in folds the demo's flat rows into BigQuery's nested layout.
import { describe, expect, it } from 'vitest';
import { leafColumns } from '../../../shared/columns.ts';
import type { ViewDef } from '../../../shared/types.ts';
import { VIEW_NAMES, VIEWS } from '../../../shared/views/index.ts';
import type { StoredValue } from '../../../worker/demo/schema.ts';
import { isNested, nestedColumns, nestRows, standInTable } from '../../support/bigquery/nested.ts';

const users = VIEWS.users as ViewDef;
const COLUMNS = leafColumns(users).map((c) => c.name);
/** A flat users row in leaf-column order, from the values a test names. */
const flat = (values: Record<string, StoredValue>): StoredValue[] => COLUMNS.map((c) => values[c] ?? null);
const column = (name: string) => nestedColumns(users).findIndex((c) => c.name === name);

describe('which views the stand-in nests', () => {
  it('nests exactly the views whose definitions hold a REPEATED record, in a table of their own', () => {
    for (const name of VIEW_NAMES) {
      const view = VIEWS[name] as ViewDef;
      const repeated = view.columns.some((c) => c.type === 'RECORD' && c.mode === 'REPEATED');
      expect(isNested(view), name).toBe(repeated);
      expect(standInTable('acme', view)).toBe(repeated ? `acme__${name}__nested` : `acme__${name}`);
    }
  });

  it('stores a REPEATED record as one TEXT column in definition order and every other column as the demo does', () => {
    const layout = nestedColumns(users);
    expect(layout[0]).toEqual({ name: 'agents', sqlite: 'TEXT' });
    expect(layout.find((c) => c.name === 'uid')).toEqual({ name: 'uid', sqlite: 'INTEGER' });
    expect(layout.some((c) => c.name.startsWith('agents.'))).toBe(false);
    expect(layout).toHaveLength(users.columns.length);
  });
});

describe('nestRows', () => {
  it('groups flat rows on the parent key in first-seen order, one element per row in row order', () => {
    const nested = nestRows(users, COLUMNS, [
      flat({ uid: 2, 'agents.agent_id': 20, 'agents.user_name': 'b', display_name: 'Bo', tracked: 1 }),
      flat({ uid: 1, 'agents.agent_id': 11, 'agents.user_name': 'a1', display_name: 'Al', tracked: 0 }),
      flat({ uid: 2, 'agents.agent_id': 21, 'agents.user_name': 'b2', display_name: 'Bo', tracked: 1 }),
    ]);
    expect(nested.map((row) => row[column('uid')])).toEqual([2, 1]);
    expect(nested.map((row) => JSON.parse(String(row[column('agents')])) as unknown)).toEqual([
      [
        { agent_id: 20, logon_name: null, user_name: 'b' },
        { agent_id: 21, logon_name: null, user_name: 'b2' },
      ],
      [{ agent_id: 11, logon_name: null, user_name: 'a1' }],
    ]);
    expect(nested[0]![column('display_name')]).toBe('Bo');
  });

  it('writes INT64 fields beyond 2^53 as exact JSON numbers', () => {
    const [row] = nestRows(users, COLUMNS, [flat({ uid: 1, 'agents.agent_id': '9223372036854775807' })]);
    expect(row![column('agents')]).toBe('[{"agent_id":9223372036854775807,"logon_name":null,"user_name":null}]');
  });

  it('gives a parent whose only flat row has no element fields an empty array, as LEFT JOIN UNNEST flattened it', () => {
    const [row] = nestRows(users, COLUMNS, [flat({ uid: 3, display_name: 'Nobody' })]);
    expect(row![column('agents')]).toBe('[]');
    expect(row![column('display_name')]).toBe('Nobody');
  });

  it('refuses flat rows of one parent that disagree on a parent column', () => {
    expect(() =>
      nestRows(users, COLUMNS, [
        flat({ uid: 1, 'agents.agent_id': 1, display_name: 'A' }),
        flat({ uid: 1, 'agents.agent_id': 2, display_name: 'B' }),
      ]),
    ).toThrow(/disagree on display_name/);
  });

  it('refuses a view without a REPEATED record', () => {
    const events = VIEWS.events as ViewDef;
    expect(() =>
      nestRows(
        events,
        leafColumns(events).map((c) => c.name),
        [],
      ),
    ).toThrow(/exactly one REPEATED record/);
  });
});
