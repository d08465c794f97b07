import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../apps-script/api/client.ts';
import { ApiProblem, userMessage } from '../../../apps-script/api/errors.ts';
import { AppsScriptWorld } from '../../support/apps-script/world.ts';

// The API client over the UrlFetchApp stand-in, against a server that misbehaves on purpose.

let server: ChildProcess;
let base: string;
const worlds: AppsScriptWorld[] = [];

beforeAll(async () => {
  server = spawn(process.execPath, [
    '-e',
    `let busy = 0;
    require('node:http').createServer((req, res) => {
      if (req.url.startsWith('/busy')) {
        if (busy++ % 2 === 0) { res.writeHead(503, { 'retry-after': '3', 'content-type': 'application/problem+json' }); return res.end('{"detail":"The warehouse is busy."}'); }
        res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' });
        return res.end('{"view":"events","columns":[],"values":[["a"]],"row_count":0,"next":null,"next_cursor":null}');
      }
      if (req.url.startsWith('/html')) { res.writeHead(502, { 'content-type': 'text/html' }); return res.end('<html>Bad gateway</html>'); }
      if (req.url.startsWith('/moved')) { res.writeHead(301, { location: 'https://elsewhere.example/' }); return res.end(); }
      if (req.headers['if-none-match'] === '"v1"') { res.writeHead(304); return res.end(); }
      res.writeHead(400, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'https://x/problems/unknown-column', title: 'Unknown column', status: 400, detail: "Unknown column 'usr_name' in events. Did you mean 'user_name'?", suggestions: ['user_name'], request_id: 'r-1' }));
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
  ]);
  base = await new Promise((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(`http://127.0.0.1:${String(d).trim()}`)));
});
afterAll(() => {
  server?.kill();
});
afterEach(async () => Promise.all(worlds.splice(0).map((w) => w.close())));

function call<T>(path: string, body: (client: ApiClient) => T, mayWait?: (ms: number) => boolean) {
  const world = new AppsScriptWorld({});
  worlds.push(world);
  const result = world.direct('editor', (s) =>
    body(new ApiClient(s.UrlFetchApp, s.Utilities, { url: base + path, key: 'acb_test' }, mayWait ? { mayWait } : {})),
  );
  return { world, result };
}

describe('ApiClient', () => {
  it('turns a problem+json answer into its detail, with the suggestions and request id', () => {
    const { result } = call('', (c) => {
      try {
        c.query('events', { select: ['usr_name'], format: 'values' });
      } catch (err) {
        return err;
      }
    });
    const problem = result.value as ApiProblem;
    expect(problem).toBeInstanceOf(ApiProblem);
    expect({ status: problem.status, detail: problem.message, suggestions: problem.suggestions, id: problem.requestId }).toEqual({
      status: 400,
      detail: "Unknown column 'usr_name' in events. Did you mean 'user_name'?",
      suggestions: ['user_name'],
      id: 'r-1',
    });
  });

  it('waits as long as Retry-After says when the API is busy, and gives up when time is short', () => {
    const { world, result } = call('/busy', (c) => c.query('events', { format: 'values' }));
    expect(result.error).toBeUndefined();
    expect(world.fetches.map((f) => f.status)).toEqual([503, 200]);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(3000);
    const hurried = call(
      '/busy',
      (c) => c.query('events', { format: 'values' }),
      () => false,
    );
    expect(hurried.result.error).toBe('The warehouse is busy.');
  });

  it('sends If-None-Match with an ETag and reports 304 as unchanged', () => {
    const { world, result } = call('', (c) => c.query('events', { format: 'values' }, '"v1"'));
    expect(result.value).toEqual({ changed: false });
    expect(world.fetches[0]!.headers['If-None-Match']).toBe('"v1"');
  });

  it('says what is wrong when something other than the API answers', () => {
    expect(
      call(
        '/html',
        (c) => c.catalog(),
        () => false,
      ).result.error,
    ).toBe(`The ActivTrak API at ${base}/html answered HTTP 502. Check the API address, or try again later.`);
    expect(call('/moved', (c) => c.catalog()).result.error).toBe(
      `The ActivTrak API at ${base}/moved redirected (HTTP 301). Use the address it redirects to, starting with https://.`,
    );
  });

  it('shows Apps Script exceptions without their prefix, and anything else as a sentence', () => {
    expect(userMessage(new Error('Exception: Limit Exceeded: URLFetch URL Length.'))).toBe('Limit Exceeded: URLFetch URL Length.');
    expect(userMessage({})).toBe('Something went wrong in the ActivTrak add-on.');
  });
});
