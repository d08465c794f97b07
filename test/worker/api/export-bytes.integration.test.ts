// Integration: a whole-view export written in several chunks of about 1 MB is, byte for byte,
// the UTF-8 of its rows, whatever characters they hold: text needing two, three and four bytes
// (a surrogate pair in JavaScript) in every row, so every chunk and every segment the encoder
// flattens is two bytes a character. Chunks are cut between rows; a pair split across appends
// is the Utf8Builder unit test's (test/node/encoding/utf8-builder.unit.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { seedTinyDemo, testEnv } from '../support/demo.ts';
import { api, rowsPath, tableOf, type Keys, type Row, type RowsBody } from './support/contract.ts';
import { parseCsv } from './support/csv.ts';

let keys: Keys;
const ROWS = 3_000;
const FIRST_GROUP = 880_001;
/** Latin-1, then characters of three and four UTF-8 bytes. */
const TEXT = 'Zoë 東京 😀 ';

beforeAll(async () => {
  keys = await seedTinyDemo();
  // About 650 characters a row: 3,000 rows are some 2 MB, where an export writes chunks of 1 Mi characters.
  await testEnv.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1})
     INSERT INTO ${tableOf('acme', 'premium_user_groups')} (account_id, group_id, group_name, is_primary_group, system_user_name, type, user_alias, user_id, user_name)
     SELECT 310001, ${FIRST_GROUP} + i, ?1 || i || printf('%.600c', 'x'), 0, 'sys', 1, ?1, 1, 'n' FROM n`,
  )
    .bind(TEXT)
    .run();
});

/** Every row of the view, walking json pages by their next links. */
async function jsonRows(): Promise<Row[]> {
  const rows: Row[] = [];
  let path: string | null = rowsPath('premium_user_groups', 'limit=10000');
  while (path) {
    const res = await api(path, keys.acme);
    expect(res.status).toBe(200);
    const body = (await res.json()) as RowsBody;
    rows.push(...body.rows);
    path = body.next ? new URL(body.next).pathname + new URL(body.next).search : null;
  }
  return rows;
}

async function exportBytes(format: 'csv' | 'ndjson'): Promise<Uint8Array> {
  const res = await api(rowsPath('premium_user_groups', `format=${format}`), keys.acme);
  expect(res.status).toBe(200);
  expect(res.headers.get('x-cache')).toBe('BYPASS');
  return new Uint8Array(await res.arrayBuffer());
}

describe('a whole-view export of text in every UTF-8 width', () => {
  it('ndjson is exactly the UTF-8 of its rows as JSON lines, the json pages rows', async () => {
    const rows = await jsonRows();
    expect(rows.filter((row) => String(row['group_name']).startsWith(TEXT))).toHaveLength(ROWS);
    const bytes = await exportBytes('ndjson');
    expect(bytes.length).toBeGreaterThan(1.5 * 1024 * 1024);
    expect(bytes).toEqual(new TextEncoder().encode(rows.map((row) => `${JSON.stringify(row)}\n`).join('')));
  });

  it('csv decodes as strict UTF-8 into every row, each cell whole', async () => {
    const bytes = await exportBytes('csv');
    expect(bytes.length).toBeGreaterThan(1.5 * 1024 * 1024);
    // fatal: bytes that are not valid UTF-8, such as a character cut in two, throw here.
    const [header, ...records] = parseCsv(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
    const name = header!.indexOf('group_name');
    const written = records.map((r) => r[name]!).filter((cell) => cell.startsWith(TEXT));
    expect(written).toHaveLength(ROWS);
    expect(new Set(written)).toEqual(new Set(Array.from({ length: ROWS }, (_, i) => `${TEXT}${i}${'x'.repeat(600)}`)));
  });
});
