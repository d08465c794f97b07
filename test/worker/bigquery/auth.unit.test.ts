import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../worker/http/errors.ts';
import {
  BIGQUERY_SCOPE,
  parseServiceAccountKey,
  ServiceAccountTokenSource,
  sharedTokenSource,
} from '../../../worker/warehouse/bigquery/auth.ts';
import { createTestServiceAccount, type TestServiceAccount } from '../../support/bigquery/keys.ts';
import { BigQueryStandIn, type SqlExecutor } from '../../support/bigquery/standin.ts';
import { fakeTime, TEST_PROJECT, testAccount } from '../../support/bigquery/harness.ts';
import { fromBase64url } from '../../../worker/encoding/base64.ts';

const noDb: SqlExecutor = { all: async () => [] };

let account: TestServiceAccount;
beforeAll(async () => {
  account = await testAccount();
});

function setup(options: { lifetime?: number; latencyMs?: number } = {}) {
  const time = fakeTime();
  const standIn = new BigQueryStandIn({
    db: noDb,
    project: TEST_PROJECT,
    clientEmail: account.clientEmail,
    publicKey: account.publicKey,
    now: time.now,
    ...(options.lifetime ? { tokenLifetimeSeconds: options.lifetime } : {}),
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
  });
  const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(account.json), { fetch: standIn.fetch, now: time.now });
  return { time, standIn, tokens };
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(fromBase64url(part))) as Record<string, unknown>;
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('the JWT bearer flow', () => {
  it('signs an RS256 assertion the token endpoint verifies with the public key, and gets a token', async () => {
    const { standIn, tokens, time } = setup();
    await expect(tokens.token()).resolves.toBe('ya29.standin-1');
    const request = standIn.requests.find((r) => r.endpoint === 'token')!;
    expect(request.url.toString()).toBe('https://oauth2.googleapis.com/token');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body as string);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, claims, signature] = form.get('assertion')!.split('.');
    expect(decodePart(header!)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'standin-key-1' });
    const now = Math.floor(time.now() / 1000);
    expect(decodePart(claims!)).toEqual({
      iss: account.clientEmail,
      scope: BIGQUERY_SCOPE,
      aud: 'https://oauth2.googleapis.com/token',
      iat: now,
      exp: now + 3600,
    });
    expect(signature).toMatch(/^[A-Za-z0-9_-]{340,}$/);
    expect(standIn.assertions).toHaveLength(1);
  });

  it('is refused when the key does not match the account, with advice to replace the key', async () => {
    const other = await createTestServiceAccount(TEST_PROJECT);
    const { standIn } = setup();
    const forged = JSON.stringify({ ...JSON.parse(other.json), client_email: account.clientEmail });
    const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(forged), { fetch: standIn.fetch });
    const err = await rejection(tokens.token());
    expect(err.status).toBe(502);
    expect(err.type).toBe('warehouse-error');
    expect(err.message).toContain('invalid_grant');
    expect(err.message).toContain('GOOGLE_SERVICE_ACCOUNT_JSON');
    expect(standIn.tokensIssued).toBe(0);
  });

  it('is refused when the server clock is far off, and the message says so', async () => {
    const { standIn } = setup();
    const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(account.json), {
      fetch: standIn.fetch,
      now: () => Date.UTC(2020, 0, 1),
    });
    const err = await rejection(tokens.token());
    expect(err.message).toMatch(/clock/);
  });

  it('rides out one failed exchange by retrying it once', async () => {
    const { standIn, tokens } = setup();
    standIn.inject({ endpoint: 'token', status: 503, reason: 'temporarily_unavailable' });
    await expect(tokens.token()).resolves.toMatch(/^ya29\./);
  });

  it('answers 503 with Retry-After when the token endpoint stays down', async () => {
    const { standIn, tokens } = setup();
    standIn.inject({ endpoint: 'token', status: 503, reason: 'temporarily_unavailable', times: 2 });
    const err = await rejection(tokens.token());
    expect(err.status).toBe(503);
    expect(err.headers['retry-after']).toBe('30');
    await expect(tokens.token()).resolves.toMatch(/^ya29\./);
  });
});

describe('token caching', () => {
  it('reuses the token until a minute before it expires, then fetches a new one', async () => {
    const { standIn, tokens, time } = setup({ lifetime: 3600 });
    const first = await tokens.token();
    time.advance((3600 - 61) * 1000);
    await expect(tokens.token()).resolves.toBe(first);
    expect(standIn.tokensIssued).toBe(1);
    time.advance(2000);
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(standIn.tokensIssued).toBe(2);
  });

  it('shares one refresh between concurrent callers', async () => {
    const { standIn, tokens } = setup({ latencyMs: 20 });
    const all = await Promise.all(Array.from({ length: 12 }, () => tokens.token()));
    expect(new Set(all).size).toBe(1);
    expect(standIn.count('token')).toBe(1);
  });

  it('fetches a fresh token after invalidate()', async () => {
    const { standIn, tokens } = setup();
    const first = await tokens.token();
    tokens.invalidate();
    await expect(tokens.token()).resolves.not.toBe(first);
    expect(standIn.tokensIssued).toBe(2);
  });

  it('retries a failed refresh on the next call instead of caching the failure', async () => {
    const { standIn, tokens } = setup();
    standIn.inject({ endpoint: 'token', status: 500, times: 2 });
    await rejection(tokens.token());
    await expect(tokens.token()).resolves.toMatch(/^ya29\./);
  });

  it('abandons a refresh that never answers, and the next caller starts a new one', async () => {
    const { standIn, time } = setup();
    let calls = 0;
    const hanging: typeof fetch = (input, init) => (++calls === 1 ? new Promise<Response>(() => undefined) : standIn.fetch(input, init));
    const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(account.json), {
      fetch: hanging,
      timeoutMs: 50,
      now: time.now,
    });
    const err = await rejection(tokens.token());
    expect([err.status, err.type]).toEqual([503, 'warehouse-unavailable']);
    time.advance(51);
    await expect(tokens.token()).resolves.toMatch(/^ya29\./);
    expect(calls).toBe(2);
  });

  it('keeps one token source per key for the whole isolate', () => {
    expect(sharedTokenSource(account.json)).toBe(sharedTokenSource(account.json));
  });
});

describe('a malformed key gets a clear message that never quotes the key', () => {
  const good = () => JSON.parse(account.json) as Record<string, unknown>;
  const cases: [string, () => string | undefined, RegExp][] = [
    ['missing', () => undefined, /GOOGLE_SERVICE_ACCOUNT_JSON is not set/],
    ['not JSON', () => '{"type": "service_account", private_key', /not valid JSON/],
    ['an array', () => '[]', /not a JSON object/],
    ['another credential type', () => JSON.stringify({ ...good(), type: 'authorized_user' }), /not 'service_account'/],
    ['without client_email', () => JSON.stringify({ ...good(), client_email: undefined }), /client_email is missing/],
    ['without private_key', () => JSON.stringify({ ...good(), private_key: '' }), /private_key is missing/],
    [
      'with a PKCS#1 key',
      () => JSON.stringify({ ...good(), private_key: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n' }),
      /PKCS#1/,
    ],
    ['with a mangled PEM', () => JSON.stringify({ ...good(), private_key: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' }), /not a PEM/],
    ['with a plain-http token_uri', () => JSON.stringify({ ...good(), token_uri: 'http://oauth2.googleapis.com/token' }), /https/],
  ];
  for (const [name, json, message] of cases) {
    it(`rejects a key ${name}`, () => {
      let err: unknown;
      try {
        parseServiceAccountKey(json());
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(503);
      expect((err as ApiError).message).toMatch(message);
      expect((err as ApiError).message).not.toContain('MII');
    });
  }

  it('rejects a well-formed PEM that is not an RSA key when the first token is needed', async () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n';
    const tokens = new ServiceAccountTokenSource(parseServiceAccountKey(JSON.stringify({ ...good(), private_key: pem })), {
      fetch: () => Promise.reject(new Error('must not be called')),
    });
    const err = await rejection(tokens.token());
    expect(err.message).toMatch(/could not be read as an RSA key/);
  });
});
