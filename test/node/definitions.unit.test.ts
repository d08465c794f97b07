/**
 * Holds the view definitions to the published data dictionary: parse the scrape, apply only
 * the repairs recorded in shared/dictionary-repairs.ts, and require the result to equal the
 * definitions. A column added, dropped, renamed, retyped or moved to another plan without a
 * matching change on the other side fails here.
 */
import { describe, expect, it } from 'vitest';
import { isViewAvailable, leafColumns, readableColumns, viewMinPlan } from '../../shared/columns.ts';
import { DICTIONARY_REPAIRS, withoutLinkText, type DictionaryRepair } from '../../shared/dictionary-repairs.ts';
import { PLANS, planRank, type Plan } from '../../shared/plans.ts';
import { SCALAR_TYPES } from '../../shared/types.ts';
import { VIEW_NAMES, VIEWS, getView, isViewName } from '../../shared/views/index.ts';
import { findDictionary, normaliseWhitespace, parseDictionary, parsePlans, type RawView } from './dictionary-parser.ts';

interface ExpectedColumn {
  name: string;
  type: string;
  minPlan: Plan;
  description: string;
}

// A user's clone has no ../shared: the suites that read the dictionary skip, saying why (under
// CI=true findDictionary throws instead). The rest of this file needs only the definitions.
const source = findDictionary();
const dictionary = 'text' in source ? parseDictionary(source.text) : { contents: [], views: [] };
const describeWithDictionary = (name: string, suite: () => void) =>
  'missing' in source ? describe.skip(`${name} (skipped: ${source.missing})`, suite) : describe(name, suite);
const itWithDictionary = 'missing' in source ? (name: string, _test: () => void) => it.skip(`${name} (skipped: ${source.missing})`) : it;

const NAME_KINDS: ReadonlySet<DictionaryRepair['kind']> = new Set(['broken-name', 'misspelt-name', 'blank-name', 'split-row']);

function lowestPlan(rawPlans: string): Plan {
  return PLANS[Math.min(...parsePlans(rawPlans).map(planRank))]!;
}

/**
 * Turns a view's raw rows into columns using only the recorded repairs, and reports which
 * repairs it used. An unrepaired type spelling is kept as scraped, so it fails the
 * comparison with the definitions rather than being guessed at here.
 */
function applyRepairs(view: RawView, repairs: readonly DictionaryRepair[]): { columns: ExpectedColumn[]; used: DictionaryRepair[] } {
  const used: DictionaryRepair[] = [];
  const mine = repairs.filter((repair) => repair.view === view.name);
  const columns = view.rows.flatMap((row) => {
    const nameRepairs = mine.filter((repair) => repair.kind !== 'type-spelling' && repair.raw === row.rawName);
    const typeRepairs = mine.filter(
      (repair): repair is Extract<DictionaryRepair, { kind: 'type-spelling' }> =>
        repair.kind === 'type-spelling' && repair.raw === row.rawType,
    );
    if (nameRepairs.length > 1 || typeRepairs.length > 1) {
      throw new Error(`${view.name}: more than one repair matches the row named "${row.rawName}"`);
    }
    used.push(...nameRepairs, ...typeRepairs);
    const nameRepair = nameRepairs[0];
    const names =
      nameRepair === undefined ? [row.rawName] : typeof nameRepair.repaired === 'string' ? [nameRepair.repaired] : [...nameRepair.repaired];
    const type = typeRepairs[0]?.repaired ?? row.rawType;
    return names.map((name) => ({ name, type, minPlan: lowestPlan(row.rawPlans), description: withoutLinkText(row.description) }));
  });
  return { columns, used };
}

function definedColumns(name: string): ExpectedColumn[] {
  const view = getView(name);
  if (!view) throw new Error(`no definition for view ${name}`);
  return leafColumns(view).map(({ name, type, minPlan, description }) => ({
    name,
    type,
    minPlan,
    description: normaliseWhitespace(description),
  }));
}

const applied = dictionary.views.map((view) => ({ view, ...applyRepairs(view, DICTIONARY_REPAIRS) }));

describeWithDictionary('the scraped data dictionary', () => {
  it('lists the 13 views in its contents and has a table for each', () => {
    expect(dictionary.contents).toHaveLength(13);
    expect(dictionary.views.map((view) => view.name)).toEqual(dictionary.contents);
  });

  it('holds 195 column rows', () => {
    expect(dictionary.views.reduce((sum, view) => sum + view.rows.length, 0)).toBe(195);
  });

  it('reads the row whose name cell the scrape lost as a row with a blank name', () => {
    const blank = dictionary.views.flatMap((view) => view.rows.filter((row) => row.rawName === '').map(() => view.name));
    expect(blank).toEqual(['consumers']);
  });

  it('lists at least one known plan in every Plans cell', () => {
    for (const view of dictionary.views) {
      for (const row of view.rows) expect(() => parsePlans(row.rawPlans), `${view.name}.${row.rawName}`).not.toThrow();
    }
  });
});

describe('the dictionary parser', () => {
  const table = (rows: string) =>
    ['Contents', '- v', 'v', '| column_name | data_type | Plans | Description |', '|---|---|---|---|', rows].join('\n');

  it('joins cells split across lines and keeps the break inside a name as one space', () => {
    const parsed = parseDictionary(table('|\netl_insert _datetime |\nTIMESTAMP |\nEssentials/Advanced |\nDate and\ntime |'));
    expect(parsed.views[0]!.rows).toEqual([
      { rawName: 'etl_insert _datetime', rawType: 'TIMESTAMP', rawPlans: 'Essentials/Advanced', description: 'Date and time' },
    ]);
  });

  it('reads a row that lost its name cell and ends in "| |" as a blank name', () => {
    const parsed = parseDictionary(table('| a | INT64 |\nEssentials/Advanced |\nx |\n| STRING |\nEssentials/Advanced |\nLogin email | |'));
    expect(parsed.views[0]!.rows[1]).toEqual({
      rawName: '',
      rawType: 'STRING',
      rawPlans: 'Essentials/Advanced',
      description: 'Login email',
    });
  });

  it('refuses a row it cannot read rather than guessing', () => {
    expect(() => parseDictionary(table('| a | INT64 | Essentials/Advanced |'))).toThrow(/3 cells/);
    expect(() => parsePlans('Essentials/Advanced Enterprise')).toThrow(/unknown plan/);
  });
});

describe('the view definitions against the dictionary', () => {
  itWithDictionary('define exactly the views the dictionary lists', () => {
    expect([...VIEW_NAMES]).toEqual([...dictionary.contents].sort());
  });

  it.each(applied.map((entry) => [entry.view.name, entry] as const))(
    '%s: every dictionary row maps to exactly one definition column after the recorded repairs, in order, with its type, lowest plan and description',
    (name, { columns }) => {
      expect(definedColumns(name)).toEqual(columns);
    },
  );

  it('have 196 leaf columns in all once the shared start/end time row is split', () => {
    expect(Object.values(VIEWS).reduce((sum, view) => sum + leafColumns(view).length, 0)).toBe(196);
  });

  it('use only canonical BigQuery type names and snake_case column names', () => {
    for (const view of Object.values(VIEWS)) {
      for (const column of leafColumns(view)) {
        expect(SCALAR_TYPES, `${view.name}.${column.name}`).toContain(column.type);
        expect(column.name).toMatch(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/);
      }
    }
  });

  it('drop the link text the dictionary lost its link for ("Learn more about ... here."), closing the sentence before it', () => {
    for (const view of Object.values(VIEWS)) {
      for (const column of leafColumns(view)) expect(column.description, `${view.name}.${column.name}`).not.toMatch(/more about|here\.?$/i);
    }
    expect(withoutLinkText('Shown in reports. Learn more about user aliases here.')).toBe('Shown in reports.');
    expect(withoutLinkText('Three categories: Remote, Office Learn more about Location here')).toBe('Three categories: Remote, Office.');
    expect(withoutLinkText('Set it on the Users page. Learn more about Display Names & Aliases<.>')).toBe('Set it on the Users page.');
    expect(withoutLinkText('Ex: Email Learn more about alarm actionshere.')).toBe('Ex: Email.');
    expect(withoutLinkText('Unproductive time. More about activity classification here.')).toBe('Unproductive time.');
    expect(withoutLinkText('No link text here, nothing to drop.')).toBe('No link text here, nothing to drop.');
  });

  it('keep descriptions as the dictionary wrote them, with no line breaks or doubled spaces', () => {
    for (const view of Object.values(VIEWS)) {
      for (const column of leafColumns(view)) expect(column.description).toBe(normaliseWhitespace(column.description));
    }
  });
});

describeWithDictionary('the recorded dictionary repairs', () => {
  const usedByView = applied.flatMap((entry) => entry.used);

  it('are each used by at least one dictionary row (no stale repairs)', () => {
    const unused = DICTIONARY_REPAIRS.filter((repair) => !usedByView.includes(repair));
    expect(unused).toEqual([]);
  });

  it('repair each name exactly once: a name repair matches one row of its view', () => {
    for (const repair of DICTIONARY_REPAIRS.filter((r) => NAME_KINDS.has(r.kind))) {
      expect(
        usedByView.filter((r) => r === repair),
        `${repair.view}: "${repair.raw}"`,
      ).toHaveLength(1);
    }
  });

  it('are not recorded twice', () => {
    const keys = DICTIONARY_REPAIRS.map((r) => `${r.view}|${r.kind === 'type-spelling' ? 'type' : 'name'}|${r.raw}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it('only remove whitespace when they mend a broken name', () => {
    for (const repair of DICTIONARY_REPAIRS) {
      if (repair.kind === 'broken-name') expect(repair.repaired).toBe(repair.raw.replace(/\s+/g, ''));
    }
  });

  it('map every type spelling to a canonical type, and leave none unrecorded', () => {
    const spellings = new Set<string>(dictionary.views.flatMap((view) => view.rows.map((row) => row.rawType)));
    const repaired = new Set(DICTIONARY_REPAIRS.flatMap((r) => (r.kind === 'type-spelling' ? [r.raw] : [])));
    const canonical = new Set<string>(SCALAR_TYPES);
    expect([...spellings].filter((s) => !canonical.has(s) && !repaired.has(s))).toEqual([]);
    for (const repair of DICTIONARY_REPAIRS) {
      if (repair.kind === 'type-spelling') expect(SCALAR_TYPES).toContain(repair.repaired);
    }
  });

  it('each carry a reason', () => {
    for (const repair of DICTIONARY_REPAIRS) expect(repair.reason.trim(), `${repair.view}: "${repair.raw}"`).not.toBe('');
  });
});

describe('plans and the view registry, driven by the definitions', () => {
  it('make a view available from the lowest plan any of its columns lists', () => {
    expect(viewMinPlan(VIEWS.daily_user_summary)).toBe('essentials');
    expect(viewMinPlan(VIEWS.daily_group_benchmarks)).toBe('professional');
    expect(isViewAvailable(VIEWS.daily_group_benchmarks, 'essentials_plus')).toBe(false);
    expect(isViewAvailable(VIEWS.daily_group_benchmarks, 'professional')).toBe(true);
  });

  it('show a caller only the columns at or below their plan', () => {
    const names = (plan: Plan) => readableColumns(VIEWS.daily_user_summary, plan).map((c) => c.name);
    expect(names('essentials')).toContain('user_id');
    expect(names('essentials')).not.toContain('active_day_count');
    expect(names('essentials_plus')).toContain('active_day_count');
    expect(names('essentials_plus')).not.toContain('location');
    expect(names('professional')).toEqual(leafColumns(VIEWS.daily_user_summary).map((c) => c.name));
  });

  it('flatten record fields to dotted names that remember their record', () => {
    const [first, , , fourth] = leafColumns(VIEWS.users);
    expect(first).toMatchObject({ name: 'agents.agent_id', record: { name: 'agents', mode: 'REPEATED' } });
    expect(fourth).toMatchObject({ name: 'device_logins' });
    expect(fourth).not.toHaveProperty('record');
  });

  it('list view names sorted and recognise only real view names', () => {
    expect([...VIEW_NAMES]).toEqual([...VIEW_NAMES].sort());
    expect(isViewName('events')).toBe(true);
    expect(isViewName('toString')).toBe(false);
    expect(isViewName('Events')).toBe(false);
    expect(getView('toString')).toBeUndefined();
    expect(getView('events')).toBe(VIEWS.events);
  });
});
