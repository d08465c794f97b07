/**
 * Test support: reads the ActivConnect data dictionary exactly as it was scraped, faults
 * and all, so definitions.unit.test.ts can hold the view definitions to it. Nothing here
 * repairs anything; the repairs are data in shared/dictionary-repairs.ts.
 *
 * The scrape is a markdown table per view whose cells are split across lines:
 *
 *   |
 *   etl_insert _datetime |
 *   TIMESTAMP |
 *   Essentials/Advanced |
 *   Date and time row was inserted in this table |
 *
 * Only the first line of a row starts with `|` (checked against the 195 rows), so rows
 * are cut there and cells are split on `|` within a row.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../shared/plans.ts';

interface RawRow {
  /** The column_name cell with runs of whitespace collapsed; '' where the scrape lost it. */
  readonly rawName: string;
  readonly rawType: string;
  readonly rawPlans: string;
  readonly description: string;
}

export interface RawView {
  readonly name: string;
  readonly rows: readonly RawRow[];
}

export interface RawDictionary {
  /** The view names listed under "Contents", in their order. */
  readonly contents: readonly string[];
  readonly views: readonly RawView[];
}

const HEADER = /^\|\s*column_name\s*\|\s*data_type\s*\|\s*Plans\s*\|\s*Description\s*\|$/;
const SEPARATOR = /^\|(\s*-+\s*\|)+$/;
// Data types are spelt in capitals or Capitalised (INT64, Boolean); column names never are.
const LOOKS_LIKE_TYPE = /^[A-Z][A-Za-z0-9]*$/;

/** Collapses line breaks and repeated spaces: the only cleaning descriptions get. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Parses the scraped dictionary into its views and raw rows.
 * Throws with the offending text on anything it does not recognise, so a new kind of
 * typesetting fault shows up as a failing test rather than as a silently wrong row.
 */
export function parseDictionary(text: string): RawDictionary {
  const lines = text.split(/\r?\n/);
  const contents = parseContents(lines);
  const views: RawView[] = [];
  let current: { name: string; rowTexts: string[] } | null = null;

  const finish = (): void => {
    if (current) views.push({ name: current.name, rows: current.rowTexts.map(parseRow) });
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // A view heading is its bare name followed by the table header; requiring both keeps a
    // description line that happens to read "users" from starting a section.
    if (contents.includes(line) && HEADER.test(lines[i + 1]?.trim() ?? '')) {
      finish();
      current = { name: line, rowTexts: [] };
      i += 1;
      if (!SEPARATOR.test(lines[i + 1]?.trim() ?? '')) throw new Error(`view ${line}: table header without separator`);
      i += 1;
      continue;
    }
    if (!current || line === '') continue;
    if (line.startsWith('|')) current.rowTexts.push(line);
    else if (current.rowTexts.length > 0) current.rowTexts[current.rowTexts.length - 1] += `\n${line}`;
    else throw new Error(`view ${current.name}: text before the first row: ${line}`);
  }
  finish();

  const names = views.map((v) => v.name);
  if (names.join() !== contents.join()) {
    throw new Error(`sections [${names.join(', ')}] do not match contents [${contents.join(', ')}]`);
  }
  return { contents, views };
}

function parseContents(lines: readonly string[]): string[] {
  const start = lines.findIndex((l) => l.trim() === 'Contents');
  if (start < 0) throw new Error('no "Contents" list');
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^-\s+(\S+)$/.exec(line.trim());
    if (!match) break;
    names.push(match[1]!);
  }
  return names;
}

function parseRow(rowText: string): RawRow {
  const body = rowText.trim();
  if (!body.startsWith('|') || !body.endsWith('|')) throw new Error(`row not enclosed in |: ${body}`);
  const cells = body.slice(1, -1).split('|').map(normaliseWhitespace);
  if (cells.length !== 4) throw new Error(`row with ${cells.length} cells, expected 4: ${body}`);
  const [first, second, third, fourth] = cells as [string, string, string, string];
  // The scrape drops an empty name cell and leaves its bar at the end (`... | |`), so the
  // row reads type, plans, description, nothing.
  if (fourth === '' && LOOKS_LIKE_TYPE.test(first)) {
    return { rawName: '', rawType: first, rawPlans: second, description: third };
  }
  return { rawName: first, rawType: second, rawPlans: third, description: fourth };
}

const PLAN_SPELLINGS: ReadonlyArray<readonly [RegExp, Plan]> = [
  [/^Essentials\/Advanced/, 'essentials'],
  [/^Essentials Plus/, 'essentials_plus'],
  [/^Professional\/Premium/, 'professional'],
];

/**
 * The plans a Plans cell lists, in the order written.
 * @example parsePlans('Essentials Plus Professional/Premium') // ['essentials_plus', 'professional']
 */
export function parsePlans(rawPlans: string): Plan[] {
  const plans: Plan[] = [];
  let rest = rawPlans.trim();
  while (rest !== '') {
    const hit = PLAN_SPELLINGS.find(([pattern]) => pattern.test(rest));
    if (!hit) throw new Error(`unknown plan in Plans cell "${rawPlans}" at "${rest}"`);
    plans.push(hit[1]);
    rest = rest.replace(hit[0], '').trim();
  }
  if (plans.length === 0) throw new Error('empty Plans cell');
  return plans;
}

const CANDIDATE_PATHS = [
  // Where CI lays shared/: beside the clone of this repository.
  '../../../shared/seed/activconnect-data-dictionary.txt',
  // In case the dictionary is ever vendored into the repository.
  '../../seed/activconnect-data-dictionary.txt',
];

/** The scraped dictionary text, or why it is not there (a user's clone has no ../shared). */
export type DictionarySource = { readonly text: string; readonly path: string } | { readonly missing: string };

/**
 * Finds the scraped dictionary: $ACTIVCONNECT_DICTIONARY, else the shared folder laid beside
 * the repository. Under CI=true it must be there (CI lays it), so its absence throws.
 */
export function findDictionary(env: NodeJS.ProcessEnv = process.env): DictionarySource {
  const override = env.ACTIVCONNECT_DICTIONARY;
  const paths = override ? [override] : CANDIDATE_PATHS.map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = paths.find((p) => existsSync(p));
  if (found) return { text: readFileSync(found, 'utf8'), path: found };
  const missing = `the ActivConnect data dictionary is not in this checkout (looked in ${paths.join(', ')})`;
  if (env.CI === 'true') throw new Error(`${missing}; CI lays it beside the clone, so its absence is a failure there`);
  return { missing };
}
