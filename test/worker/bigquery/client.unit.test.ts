import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../worker/http/errors.ts';
import { compileSelect } from '../../../worker/query/sql.ts';
import { parseServiceAccountKey, ServiceAccountTokenSource } from '../../../worker/warehouse/bigquery/auth.ts';
import { BigQueryClient, type BigQueryClientOptions, type QuerySpec } from '../../../worker/warehouse/bigquery/client.ts';
import { bigQueryDialect, bigQuerySource, toQueryParameter } from '../../../worker/warehouse/bigquery/dialect.ts';
import { parseRetryAfter } from '../../../worker/warehouse/bigquery/errors.ts';
import { db, fakeTime, queryFor, seedRows, TEST_PROJECT, testAccount } from '../../support/bigquery/harness.ts';
import { BigQueryStandIn, d1Executor, type StandInOptions } from '../../support/bigquery/standin.ts';

const DATASET = 'acme';
const USERS = Array.from({ length: 25 }, (_, i) => ({
  'agents.agent_id': 1000 + i,
  'agents.logon_name': 'CORP',
  'agents.user_name': `user${i}`,
  display_name: `User ${String(i).padStart(2, '0')}`,
  tracked: i % 3 === 0 ? 0 : 1,
  uid: i,
}));

beforeAll(async () => {
  await seedRows(DATASET, 'users', USERS);
});

async function setup(standInOptions: Partial<StandInOptions> = {}, clientOptions: BigQueryClientOptions = {}) {
  const account = await testAccount();
  const time = fakeTime();
  const standIn = new BigQueryStandIn({
    db: d1Executor(db),
    project: TEST_PROJECT,
    clientEmail: account.clientEmail,
    publicKey: account.publicKey,
    now: time.now,
    sleep: time.sleep,
    ...standInOptions,
  });
  const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(account.json), { fetch: standIn.fetch, now: time.now });
  const client = new BigQueryClient(tokens, {
    fetch: standIn.fetch,
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
    ...clientOptions,
  });
  return { standIn, tokens, client, time, account };
}

function spec(params: Record<string, string> = {}, overrides: Partial<QuerySpec> = {}): QuerySpec {
  const compiled = compileSelect(queryFor('users', params), bigQueryDialect, bigQuerySource(TEST_PROJECT, DATASET), 1000);
  return {
    sql: compiled.sql,
    params: compiled.params,
    project: TEST_PROJECT,
    dataset: DATASET,
    location: null,
    maximumBytesBilled: null,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('jobs.query and jobs.getQueryResults', () => {
  it('sends a typed, named-parameter Standard SQL request with the tenant limits', async () => {
    const { standIn, client } = await setup({ location: 'europe-west2' }, { pageSize: 500, pollTimeoutMs: 7000 });
    await client.query(spec({ uid: 'gte.3', tracked: 'is.true' }, { location: 'europe-west2', maximumBytesBilled: 50 * 1024 ** 3 }));
    const request = standIn.requests.find((r) => r.endpoint === 'query')!;
    expect(request.url.toString()).toBe(`https://bigquery.googleapis.com/bigquery/v2/projects/${TEST_PROJECT}/queries`);
    expect(request.headers.get('authorization')).toMatch(/^Bearer ya29\./);
    const body = JSON.parse(request.body as string) as Record<string, unknown>;
    expect(body).toMatchObject({
      useLegacySql: false,
      parameterMode: 'NAMED',
      location: 'europe-west2',
      maximumBytesBilled: '53687091200',
      maxResults: 500,
      timeoutMs: 7000,
      formatOptions: { useInt64Timestamp: true },
      queryParameters: [
        { name: 'p0', parameterType: { type: 'INT64' }, parameterValue: { value: '3' } },
        { name: 'p1', parameterType: { type: 'BOOL' }, parameterValue: { value: 'true' } },
        { name: 'p2', parameterType: { type: 'INT64' }, parameterValue: { value: '1000' } },
      ],
    });
    expect(body['requestId']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('follows every pageToken when reading page after page, including pages shorter than maxResults', async () => {
    const { standIn, client } = await setup({ maxRowsPerPage: 4 }, { pageSize: 10, pagesAhead: 0 });
    const result = await client.query(spec({ select: 'uid' }));
    expect(result.rows.map((r) => r.f[0]!.v)).toEqual(USERS.map((u) => String(u.uid)));
    expect(standIn.count('getQueryResults')).toBe(6);
    const tokens = standIn.requests.filter((r) => r.endpoint === 'getQueryResults').map((r) => r.url.searchParams.get('pageToken'));
    expect(new Set(tokens).size).toBe(6);
    // uid, then the row key's second column; its first, uid, is read from the output (compileSelect's keyColumns).
    expect(result.schema.fields.map((f) => f.type)).toEqual(['INTEGER', 'INTEGER']);
  });

  it('polls getQueryResults while jobComplete is false, in the job location', async () => {
    const { standIn, client } = await setup({ pollsBeforeComplete: 3, location: 'EU' });
    const result = await client.query(spec({ select: 'uid' }, { location: 'EU' }));
    expect(result.rows).toHaveLength(25);
    const polls = standIn.requests.filter((r) => r.endpoint === 'getQueryResults');
    expect(polls).toHaveLength(3);
    for (const poll of polls) {
      expect(poll.url.searchParams.get('location')).toBe('EU');
      expect(poll.url.searchParams.get('formatOptions.useInt64Timestamp')).toBe('true');
      expect(Number(poll.url.searchParams.get('timeoutMs'))).toBeGreaterThan(0);
    }
  });

  it('returns the bytes a dry run would scan, without running a job', async () => {
    const { standIn, client } = await setup({ bytesPerValue: 10 });
    const { totalBytesProcessed } = await client.dryRun(spec({ select: 'uid,display_name' }));
    // 25 rows x 3 referenced columns (uid, display_name, agents.agent_id for the row key) x 10 bytes.
    expect(totalBytesProcessed).toBe(750);
    expect(JSON.parse(standIn.requests.find((r) => r.endpoint === 'query')!.body as string)).toMatchObject({ dryRun: true });
    expect(standIn.count('getQueryResults')).toBe(0);
  });
});

describe('retries', () => {
  it('retries 500 and 503 with exponential backoff and full jitter, keeping one requestId', async () => {
    const { standIn, client, time } = await setup();
    standIn
      .inject({ endpoint: 'query', status: 503, reason: 'backendError' })
      .inject({ endpoint: 'query', status: 500, reason: 'internalError' });
    await expect(client.query(spec({ select: 'uid' }))).resolves.toMatchObject({ rows: expect.any(Array) });
    // random() = 0.5: half of 250 ms, then half of 500 ms.
    expect(time.sleeps).toEqual([125, 250]);
    const ids = standIn.requests
      .filter((r) => r.endpoint === 'query')
      .map((r) => (JSON.parse(r.body as string) as { requestId: string }).requestId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('honours Retry-After on a 429 when it asks for longer than the backoff', async () => {
    const { standIn, client, time } = await setup();
    standIn.inject({ endpoint: 'query', status: 429, reason: 'rateLimitExceeded', retryAfter: '3' });
    await client.query(spec({ select: 'uid' }));
    expect(time.sleeps).toEqual([3000]);
  });

  it('retries a 403 rateLimitExceeded, which Google calls short-lived', async () => {
    const { standIn, client, time } = await setup({ pollsBeforeComplete: 1 });
    standIn.inject({ endpoint: 'getQueryResults', status: 403, reason: 'rateLimitExceeded', times: 2 });
    await client.query(spec({ select: 'uid' }));
    expect(time.sleeps).toEqual([125, 250]);
  });

  it('retries a dropped connection', async () => {
    const { standIn, time } = await setup();
    let dropped = false;
    const flaky: typeof fetch = (input, init) => {
      if (!dropped && String(input instanceof Request ? input.url : input).includes('/queries')) {
        dropped = true;
        return Promise.reject(new TypeError('Network connection lost.'));
      }
      return standIn.fetch(input, init);
    };
    const tokens = new ServiceAccountTokenSource(parseServiceAccountKey((await testAccount()).json), {
      fetch: standIn.fetch,
      now: time.now,
    });
    const retrying = new BigQueryClient(tokens, { fetch: flaky, now: time.now, sleep: time.sleep, random: () => 0.5 });
    await expect(retrying.query(spec({ select: 'uid' }))).resolves.toBeDefined();
    expect(time.sleeps).toEqual([125]);
  });

  it('gives up after maxAttempts with 503 warehouse-unavailable and a Retry-After', async () => {
    const { standIn, client } = await setup({}, { backoff: { maxAttempts: 3 } });
    standIn.inject({ endpoint: 'query', status: 503, reason: 'backendError', times: 10 });
    const err = await failure(client.query(spec()));
    expect([err.status, err.type, err.headers['retry-after']]).toEqual([503, 'warehouse-unavailable', '30']);
    expect(standIn.count('query')).toBe(3);
  });

  it('does not wait past the deadline for a long Retry-After: answers 429 rate-limited at once and passes it on', async () => {
    const { standIn, client, time } = await setup({}, { deadlineMs: 10_000 });
    standIn.inject({ endpoint: 'query', status: 429, reason: 'rateLimitExceeded', retryAfter: '60' });
    const err = await failure(client.query(spec()));
    expect([err.status, err.type, err.headers['retry-after']]).toEqual([429, 'rate-limited', '60']);
    expect(time.sleeps).toEqual([]);
  });

  it('fetches a new token once when BigQuery answers 401', async () => {
    const { standIn, client } = await setup();
    await client.query(spec({ select: 'uid' }));
    standIn.revokeTokens();
    await expect(client.query(spec({ select: 'uid' }))).resolves.toBeDefined();
    expect(standIn.tokensIssued).toBe(2);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter('Fri, 20 Nov 2026 12:00:30 GMT', Date.UTC(2026, 10, 20, 12))).toBe(30);
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('the total deadline', () => {
  it('stops polling at the deadline with 504, never calls jobs.cancel, and BigQuery stops the job by its jobTimeoutMs', async () => {
    const { standIn, client, time } = await setup({ pollsBeforeComplete: 1000, latencyMs: 1000 }, { deadlineMs: 5000 });
    const err = await failure(client.query(spec()));
    expect([err.status, err.type]).toEqual([504, 'warehouse-unavailable']);
    expect(err.message).toMatch(/within 5 seconds/);
    expect(standIn.count('cancel')).toBe(0);
    const body = JSON.parse(standIn.requests.find((r) => r.endpoint === 'query')!.body as string) as { jobTimeoutMs: string };
    expect(Number(body.jobTimeoutMs)).toBeLessThanOrEqual(5000);
    // BigQuery's job clock starts when the job is created, one token fetch and one request
    // (2 x 1000 ms here) after the client's; soon after the 504 the job has stopped by itself.
    time.advance(2000);
    expect(standIn.jobs()).toEqual([expect.objectContaining({ state: 'DONE', error: 'timeout' })]);
  });

  it('aborts a request that outlives the deadline in real time', async () => {
    const account = await testAccount();
    const standIn = new BigQueryStandIn({
      db: d1Executor(db),
      project: TEST_PROJECT,
      clientEmail: account.clientEmail,
      publicKey: account.publicKey,
      latencyMs: (e) => (e === 'query' ? 2000 : 0),
    });
    const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(account.json), { fetch: standIn.fetch });
    const client = new BigQueryClient(tokens, { fetch: standIn.fetch, deadlineMs: 100 });
    // The query would answer after 2 s: a 504 (not the answer) means the 100 ms deadline cut it
    // off, with no bound on how long the machine took to get there.
    const err = await failure(client.query(spec()));
    expect(err.status).toBe(504);
  });
});

describe('a failed job is run again as a new job (HTTP 400 job* reasons)', () => {
  const queryBodies = (standIn: BigQueryStandIn) =>
    standIn.requests.filter((r) => r.endpoint === 'query').map((r) => JSON.parse(r.body as string) as { requestId: string });

  for (const reason of ['jobRateLimitExceeded', 'jobBackendError', 'jobInternalError']) {
    it(`${reason} from jobs.query: a new jobs.query with a new requestId, after a jittered backoff`, async () => {
      const { standIn, client, time } = await setup();
      standIn.inject({ endpoint: 'query', status: 400, reason, times: 2 });
      const result = await client.query(spec({ select: 'uid' }));
      expect(result.rows).toHaveLength(25);
      expect(time.sleeps).toEqual([125, 250]);
      const ids = queryBodies(standIn).map((b) => b.requestId);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
    });
  }

  it('a job that fails while it is polled is started again, and only the new job is read', async () => {
    const { standIn, client } = await setup({ pollsBeforeComplete: 1 });
    standIn.inject({ endpoint: 'getQueryResults', status: 400, reason: 'jobBackendError' });
    const result = await client.query(spec({ select: 'uid' }));
    expect(result.rows.map((r) => r.f[0]!.v)).toEqual(USERS.map((u) => String(u.uid)));
    expect(standIn.count('query')).toBe(2);
    const polled = standIn.requests.filter((r) => r.endpoint === 'getQueryResults').map((r) => r.url.pathname.split('/').pop());
    expect(polled).toEqual(['job_standin_1', 'job_standin_2']);
  });

  it('jobRateLimitExceeded to the end: 429 with Retry-After, saying the concurrent-query limit was reached', async () => {
    const { standIn, client } = await setup({}, { backoff: { maxAttempts: 3 } });
    standIn.inject({ endpoint: 'query', status: 400, reason: 'jobRateLimitExceeded', times: 10 });
    const err = await failure(client.query(spec()));
    expect([err.status, err.type]).toEqual([429, 'rate-limited']);
    expect(Number(err.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(err.message).toMatch(/concurrent-query limit/);
    expect(err.message).toContain(TEST_PROJECT);
    expect(err.message).not.toMatch(/views/);
    expect(standIn.count('query')).toBe(3);
  });

  it('jobBackendError or jobInternalError to the end: 503 with Retry-After, not blaming the views', async () => {
    for (const reason of ['jobBackendError', 'jobInternalError']) {
      const { standIn, client } = await setup({}, { backoff: { maxAttempts: 2 } });
      standIn.inject({ endpoint: 'query', status: 400, reason, times: 10 });
      const err = await failure(client.query(spec()));
      expect([err.status, err.type]).toEqual([503, 'warehouse-unavailable']);
      expect(Number(err.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(err.message).not.toMatch(/views/);
    }
  });

  it('stops within the deadline: no wait that would overrun it', async () => {
    const { standIn, client, time } = await setup({}, { deadlineMs: 2000 });
    standIn.inject({ endpoint: 'query', status: 400, reason: 'jobRateLimitExceeded', retryAfter: '5', times: 10 });
    const err = await failure(client.query(spec()));
    expect([err.status, err.headers['retry-after']]).toEqual([429, '5']);
    expect(time.sleeps).toEqual([]);
  });
});

describe('requestId, which BigQuery may ignore for a read-only query', () => {
  it('a jobs.query whose answer was lost starts a second job; the client reads only the job it was answered with', async () => {
    const { standIn, client } = await setup({}, { pageSize: 10, pagesAhead: 0 });
    standIn.inject({ endpoint: 'query', status: 0, drop: true });
    const result = await client.query(spec({ select: 'uid' }));
    expect(result.rows.map((r) => r.f[0]!.v)).toEqual(USERS.map((u) => String(u.uid)));
    expect(standIn.jobs().map((j) => j.id)).toEqual(['job_standin_1', 'job_standin_2']);
    const ids = standIn.requests
      .filter((r) => r.endpoint === 'query')
      .map((r) => (JSON.parse(r.body as string) as { requestId: string }).requestId);
    expect(new Set(ids).size).toBe(1);
    const read = new Set(standIn.requests.filter((r) => r.endpoint === 'getQueryResults').map((r) => r.url.pathname.split('/').pop()));
    expect([...read]).toEqual(['job_standin_2']);
  });

  it('the stand-in never hands one query the job of another that reused its requestId', async () => {
    const { standIn, client } = await setup();
    const sneaky = crypto.randomUUID();
    const realRandom = crypto.randomUUID.bind(crypto);
    crypto.randomUUID = () => sneaky;
    try {
      const uids = await client.query(spec({ select: 'uid', uid: 'lt.3' }));
      const names = await client.query(spec({ select: 'display_name', uid: 'lt.2' }));
      expect(uids.rows.map((r) => r.f[0]!.v)).toEqual(['0', '1', '2']);
      expect(names.rows.map((r) => r.f[0]!.v)).toEqual(['User 00', 'User 01']);
    } finally {
      crypto.randomUUID = realRandom;
    }
    expect(standIn.jobs()).toHaveLength(2);
  });
});

/** Starts a job on the stand-in directly, as any BigQuery client would, and returns its id. */
async function startJob(standIn: BigQueryStandIn, token: string): Promise<string> {
  const { sql, params } = spec();
  const res = await standIn.fetch(`https://bigquery.googleapis.com/bigquery/v2/projects/${TEST_PROJECT}/queries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: sql, useLegacySql: false, parameterMode: 'NAMED', queryParameters: params.map(toQueryParameter) }),
  });
  const body = (await res.json()) as { jobReference: { jobId: string } };
  return body.jobReference.jobId;
}

describe('OAuth scopes per method', () => {
  it('the token asks for bigquery.readonly, which jobs.query and getQueryResults accept', async () => {
    const { standIn, client } = await setup({ pollsBeforeComplete: 1 });
    await client.query(spec({ select: 'uid' }));
    expect(standIn.assertions[0]!['scope']).toBe('https://www.googleapis.com/auth/bigquery.readonly');
    expect(standIn.count('getQueryResults')).toBeGreaterThan(0);
  });

  it('jobs.cancel refuses that token (403 insufficient scopes) and takes a bigquery-scoped one: why the client never cancels', async () => {
    const { standIn, tokens, account, time } = await setup({ pollsBeforeComplete: 5 });
    const jobId = await startJob(standIn, await tokens.token());
    const cancelUrl = `https://bigquery.googleapis.com/bigquery/v2/projects/${TEST_PROJECT}/jobs/${jobId}/cancel`;
    const readonly = await standIn.fetch(cancelUrl, { method: 'POST', headers: { authorization: `Bearer ${await tokens.token()}` } });
    expect(readonly.status).toBe(403);
    expect(await readonly.json()).toMatchObject({
      error: { message: 'Request had insufficient authentication scopes.', errors: [{ reason: 'insufficientPermissions' }] },
    });
    const full = new ServiceAccountTokenSource(parseServiceAccountKey(account.json), {
      fetch: standIn.fetch,
      now: time.now,
      scope: 'https://www.googleapis.com/auth/bigquery',
    });
    const cancelled = await standIn.fetch(cancelUrl, { method: 'POST', headers: { authorization: `Bearer ${await full.token()}` } });
    expect(cancelled.status).toBe(200);
    expect(standIn.jobs()[0]!.error).toBe('stopped');
  });

  it('jobs.get takes the read-only token and reports a running job', async () => {
    const { standIn, tokens } = await setup({ pollsBeforeComplete: 5 });
    const jobId = await startJob(standIn, await tokens.token());
    const res = await standIn.fetch(`https://bigquery.googleapis.com/bigquery/v2/projects/${TEST_PROJECT}/jobs/${jobId}`, {
      headers: { authorization: `Bearer ${await tokens.token()}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'bigquery#job', status: { state: 'RUNNING' } });
  });
});

describe('result pages fetched ahead of the reader', () => {
  it('reads by startIndex, in order, with no gap or overlap when BigQuery caps a page', async () => {
    const { standIn, client } = await setup({ maxRowsPerPage: 3 }, { pageSize: 4, pagesAhead: 2 });
    const result = await client.query(spec({ select: 'uid' }));
    expect(result.rows.map((r) => r.f[0]!.v)).toEqual(USERS.map((u) => String(u.uid)));
    const reads = standIn.requests.filter((r) => r.endpoint === 'getQueryResults');
    expect(reads.every((r) => r.url.searchParams.has('startIndex') && !r.url.searchParams.has('pageToken'))).toBe(true);
  });

  it('never asks for more than pagesAhead pages beyond the one being read', async () => {
    const { standIn, client } = await setup({}, { pageSize: 2, pagesAhead: 2 });
    const pages = client.pages(spec({ select: 'uid' }));
    const seen: string[] = [];
    for (let taken = 1; ; taken++) {
      const next = await pages.next();
      if (next.done) break;
      seen.push(...next.value.rows.map((r) => String(r.f[0]!.v)));
      // Taken pages after the first (which jobs.query brought), plus at most two ahead.
      expect(standIn.count('getQueryResults')).toBeLessThanOrEqual(taken - 1 + 2);
    }
    expect(seen).toEqual(USERS.map((u) => String(u.uid)));
  });

  it('keeps result order when later pages arrive first', async () => {
    const { standIn, tokens, time } = await setup();
    // The first three reads are held and let go last-first; later reads pass straight through.
    const held: { start: string; release: () => void }[] = [];
    const released: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const res = await standIn.fetch(input, init);
      const start = new URL(new Request(input).url).searchParams.get('startIndex');
      if (start === null || released.length + held.length >= 3) return res;
      await new Promise<void>((release) => {
        held.push({ start, release });
        if (held.length < 3) return;
        for (const h of held.splice(0).reverse()) {
          released.push(h.start);
          h.release();
        }
      });
      return res;
    };
    const client = new BigQueryClient(tokens, { fetch, now: time.now, sleep: time.sleep, pageSize: 2, pagesAhead: 3 });
    const result = await client.query(spec({ select: 'uid' }));
    expect(released).toEqual(['6', '4', '2']);
    expect(result.rows.map((r) => r.f[0]!.v)).toEqual(USERS.map((u) => String(u.uid)));
  });

  it('a page that fails ahead of the reader fails it once and aborts the reads still in flight', async () => {
    const { standIn, tokens, time } = await setup();
    standIn.inject({ endpoint: 'getQueryResults', status: 403, reason: 'accessDenied' });
    const aborted: string[] = [];
    // Every read but the failing one stays open until the client lets it go.
    const fetch: typeof globalThis.fetch = (input, init) => {
      const start = new URL(new Request(input).url).searchParams.get('startIndex');
      if (start === null || start === '2') return standIn.fetch(input, init);
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener(
          'abort',
          () => {
            aborted.push(start);
            reject(new DOMException('aborted', 'AbortError'));
          },
          { once: true },
        ),
      );
    };
    const client = new BigQueryClient(tokens, { fetch, now: time.now, sleep: time.sleep, pageSize: 2, pagesAhead: 3 });
    const pages = client.pages(spec({ select: 'uid' }));
    expect((await pages.next()).value!.rows).toHaveLength(2);
    const err = await failure(pages.next());
    expect([err.status, err.type]).toEqual([502, 'warehouse-error']);
    expect(aborted.sort()).toEqual(['4', '6']);
    expect((await pages.next()).done).toBe(true);
    expect(standIn.count('getQueryResults')).toBe(1);
  });

  it('a reader that stops early leaves no failure behind', async () => {
    const { client } = await setup({}, { pageSize: 2, pagesAhead: 3 });
    for await (const page of client.pages(spec({ select: 'uid' }))) {
      expect(page.rows).toHaveLength(2);
      break;
    }
  });
});

describe('BigQuery errors become API errors that say what to do, without SQL or Google text', () => {
  const leak = (err: ApiError) => {
    expect(err.message).not.toMatch(/SELECT|Quota exceeded:|Access Denied:|Query exceeded limit|Not found:/);
  };

  it('quotaExceeded: 429 quota-exceeded with Retry-After, not retried', async () => {
    const { standIn, client } = await setup();
    standIn.inject({ endpoint: 'query', status: 403, reason: 'quotaExceeded' });
    const err = await failure(client.query(spec()));
    expect([err.status, err.type, err.headers['retry-after']]).toEqual([429, 'quota-exceeded', '600']);
    expect(standIn.count('query')).toBe(1);
    leak(err);
  });

  it('accessDenied: 502 naming the service account and the two roles to grant', async () => {
    const { client, account } = await setup({ deniedDatasets: [DATASET] });
    const err = await failure(client.query(spec()));
    expect([err.status, err.type]).toEqual([502, 'warehouse-error']);
    expect(err.message).toContain(account.clientEmail);
    expect(err.message).toContain('BigQuery Data Viewer');
    expect(err.message).toContain('BigQuery Job User');
    expect(err.message).toContain(`${TEST_PROJECT}.${DATASET}`);
    expect(err.extensions).toMatchObject({ roles: ['roles/bigquery.dataViewer', 'roles/bigquery.jobUser'] });
    leak(err);
  });

  it('bytesBilledLimitExceeded: 400 with the limit, the bytes needed and advice to narrow the dates', async () => {
    const { client } = await setup();
    const err = await failure(client.query(spec({}, { maximumBytesBilled: 1_000_000 })));
    expect([err.status, err.type]).toEqual([400, 'limit-exceeded']);
    expect(err.message).toMatch(/977 KB/);
    expect(err.message).toMatch(/from= and to=/);
    expect(err.extensions).toEqual({ limit: 'maxBytesBilled', maximum_bytes_billed: 1_000_000, bytes_required: 10_485_760 });
    leak(err);
  });

  it('notFound dataset: 502 naming the configured project, dataset and location', async () => {
    const { client } = await setup();
    const err = await failure(
      client.query({ ...spec(), dataset: 'nosuch', sql: spec().sql.replace('.acme.', '.nosuch.'), location: 'US' }),
    );
    expect([err.status, err.type]).toEqual([502, 'warehouse-error']);
    expect(err.message).toContain(`${TEST_PROJECT}.nosuch in location US`);
    leak(err);
  });

  it('a job in another location is not found either, and says to check the location', async () => {
    const { client } = await setup({ location: 'asia-northeast1' });
    const err = await failure(client.query(spec({}, { location: 'US' })));
    expect(err.message).toMatch(/location settings/);
  });

  it('responseTooLarge, resourcesExceeded: 400 limit-exceeded with what to ask for instead', async () => {
    const { standIn, client } = await setup({ pollsBeforeComplete: 1 });
    standIn.inject({ endpoint: 'getQueryResults', status: 403, reason: 'responseTooLarge' });
    standIn.inject({
      endpoint: 'query',
      status: 400,
      reason: 'resourcesExceeded',
      message: 'Resources exceeded during query execution: SELECT ...',
    });
    const tooComplex = await failure(client.query(spec()));
    expect([tooComplex.status, tooComplex.extensions['limit']]).toEqual([400, 'queryResources']);
    const tooLarge = await failure(client.query(spec()));
    expect([tooLarge.status, tooLarge.extensions['limit']]).toEqual([400, 'responseSize']);
    leak(tooComplex);
  });

  it('a job timeout reported by BigQuery: 504 warehouse-unavailable', async () => {
    const { standIn, client } = await setup({ pollsBeforeComplete: 1 });
    standIn.inject({ endpoint: 'getQueryResults', status: 400, reason: 'timeout' });
    const err = await failure(client.query(spec()));
    expect([err.status, err.type]).toEqual([504, 'warehouse-unavailable']);
  });

  it('invalidQuery: 502 that points to the server log, never echoing the SQL', async () => {
    const { standIn, client } = await setup();
    standIn.inject({
      endpoint: 'query',
      status: 400,
      reason: 'invalidQuery',
      message: 'Unrecognized name: secret_col at [1:8] in SELECT secret_col FROM x',
    });
    const err = await failure(client.query(spec()));
    expect([err.status, err.type]).toEqual([502, 'warehouse-error']);
    expect(err.message).not.toContain('secret_col');
    leak(err);
  });

  it('a token BigQuery keeps refusing: 502 with the grant advice', async () => {
    const { standIn, client } = await setup();
    standIn.inject({ endpoint: 'query', status: 401, reason: 'authError', times: 2 });
    const err = await failure(client.query(spec()));
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/BigQuery Data Viewer/);
  });

  it('a project the service account cannot bill: 502 accessDenied', async () => {
    const { client } = await setup();
    const err = await failure(client.query({ ...spec(), project: 'other-project' }));
    expect([err.status, err.type]).toEqual([502, 'warehouse-error']);
    expect(err.message).toMatch(/BigQuery Job User role on the project other-project/);
  });
});
