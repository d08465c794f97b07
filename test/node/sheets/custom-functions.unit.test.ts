import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activtrak } from '../../../apps-script/functions/custom-functions.ts';
import { AppsScriptWorld } from '../../support/apps-script/world.ts';

// Row caps need more rows than the demo data has: a fake API with 25,000 numbered rows.

let server: ChildProcess;
let base: string;
const worlds: AppsScriptWorld[] = [];

beforeAll(async () => {
  server = spawn(process.execPath, [
    '-e',
    `const TOTAL = 25000;
    require('node:http').createServer((req, res) => {
      let text = ''; req.on('data', (c) => text += c); req.on('end', () => {
        const body = JSON.parse(text);
        const start = body.cursor ? Number(body.cursor) : 0;
        const end = Math.min(TOTAL, start + body.limit);
        const values = [['n']];
        for (let i = start; i < end; i++) values.push([i]);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ view: 'events', columns: [{ name: 'n', type: 'INT64' }], values, row_count: end - start, next: null, next_cursor: end < TOTAL ? String(end) : null }));
      });
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
  ]);
  base = await new Promise((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(`http://127.0.0.1:${String(d).trim()}`)));
});
afterAll(() => {
  server?.kill();
});
afterEach(async () => Promise.all(worlds.splice(0).map((w) => w.close())));

function formula(...args: unknown[]) {
  const world = new AppsScriptWorld({});
  worlds.push(world);
  world.properties.user(world.owner).data.set('activtrak.api_url', base);
  world.properties.user(world.owner).data.set('activtrak.api_key', 'acb_test');
  const [view, columns, from, to, filters, options] = args;
  const result = world.direct('custom-function', (s) => activtrak(s, { view, columns, from, to, filters, options }));
  return { world, result };
}

describe('=ACTIVTRAK row caps', () => {
  it('refuses to cut a result at the default 10,000 rows silently', () => {
    const { result } = formula('events');
    expect(result.error).toBe(
      'More than 10,000 rows match. Add limit=… (up to 50,000), a date range or filters, or use ActivTrak > Insert a view for all of them.',
    );
  });

  it('returns exactly the rows asked for with limit=, paging past 10,000', () => {
    const { world, result } = formula('events', '', '', '', '', 'limit=12000');
    const values = result.value!;
    expect(values).toHaveLength(12_001);
    expect(values[12_000]).toEqual([11_999]);
    expect(world.fetches.map((f) => JSON.parse(f.body!).limit)).toEqual([10_000, 2_000]);
  });
});
