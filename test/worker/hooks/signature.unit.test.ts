import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { generateSecret, sign, signatureHeaders, verify } from '../../../worker/hooks/signature.ts';

/**
 * The oracle: the Standard Webhooks project's own JavaScript library (npm `standardwebhooks`),
 * which shares no code with ours. It reads the clock for its 5-minute tolerance, so the clock
 * is set to `nowSeconds` for the call.
 */
function oracleVerify(input: { secret: string; headers: Record<string, string>; body: string; nowSeconds: number }): boolean {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(input.nowSeconds * 1000);
  try {
    new Webhook(input.secret).verify(input.body, input.headers);
    return true;
  } catch {
    return false;
  } finally {
    vi.useRealTimers();
  }
}

/** The oracle's `v1,<base64>` signature. */
function oracleSign(secret: string, id: string, timestampSeconds: number, body: string): string {
  return new Webhook(secret).sign(id, new Date(timestampSeconds * 1000), body);
}

// The published test vector, as used by the reference libraries' own "sign function works"
// tests in standard-webhooks/standard-webhooks (libraries/javascript/src/webhook.test.ts and
// libraries/python/tests/test_webhooks.py).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;

const vectorHeaders = {
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': VECTOR.signature,
};
const atVector = new Date(VECTOR.timestamp * 1000);
const NOW = new Date('2026-11-20T12:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const BODY = JSON.stringify({ type: 'activity.summary', data: { user: 'ada', minutes: 42 } });

async function expectFailure(result: Promise<{ ok: boolean; reason?: string }>, pattern: RegExp) {
  const outcome = await result;
  expect(outcome.ok).toBe(false);
  expect(outcome.reason).toMatch(pattern);
}

describe('the Standard Webhooks test vector', () => {
  it('signs the published vector to the published signature', async () => {
    await expect(sign(VECTOR)).resolves.toBe(VECTOR.signature);
  });

  it('verifies the published vector', async () => {
    await expect(verify({ secret: VECTOR.secret, headers: vectorHeaders, body: VECTOR.body, now: atVector })).resolves.toEqual({
      ok: true,
    });
  });

  it('is also reproduced by the standardwebhooks library, so the oracle itself is right', () => {
    expect(oracleSign(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(oracleVerify({ secret: VECTOR.secret, headers: vectorHeaders, body: VECTOR.body, nowSeconds: VECTOR.timestamp })).toBe(true);
  });

  it('signs the same bytes given as a Uint8Array', async () => {
    await expect(sign({ ...VECTOR, body: new TextEncoder().encode(VECTOR.body) })).resolves.toBe(VECTOR.signature);
  });
});

describe('generateSecret', () => {
  it('returns whsec_ and the base64 of 32 random bytes, different every time', () => {
    const secrets = new Set(Array.from({ length: 20 }, generateSecret));
    expect(secrets.size).toBe(20);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(atob(secret.slice('whsec_'.length))).toHaveLength(32);
    }
  });
});

describe('signatureHeaders', () => {
  it('produces headers the standardwebhooks library accepts', async () => {
    const secret = generateSecret();
    const headers = await signatureHeaders(secret, 'msg_1', BODY, NOW);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(nowSeconds));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(oracleVerify({ secret, headers: { ...headers }, body: BODY, nowSeconds })).toBe(true);
  });

  it('uses whole unix seconds for the timestamp', async () => {
    const headers = await signatureHeaders(VECTOR.secret, VECTOR.id, VECTOR.body, new Date(VECTOR.timestamp * 1000 + 999));
    expect(headers['webhook-timestamp']).toBe('1614265330');
    expect(headers['webhook-signature']).toBe(VECTOR.signature);
  });

  it('lists one space-separated signature per secret while a secret is rotated, each accepted alone', async () => {
    const [previous, next] = [generateSecret(), generateSecret()];
    const headers = await signatureHeaders([previous, next], 'msg_rotating', BODY, NOW);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [previous, next]) {
      expect(oracleVerify({ secret, headers: { ...headers }, body: BODY, nowSeconds })).toBe(true);
      await expect(verify({ secret, headers, body: BODY, now: NOW })).resolves.toEqual({ ok: true });
    }
    await expectFailure(verify({ secret: generateSecret(), headers, body: BODY, now: NOW }), /No signature .* matches/);
  });

  it('refuses to sign with an empty secret list or a malformed secret, id or timestamp', async () => {
    await expect(signatureHeaders([], 'msg_1', BODY, NOW)).rejects.toThrow(/secret/);
    await expect(sign({ ...VECTOR, secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).rejects.toThrow(/whsec_/);
    await expect(sign({ ...VECTOR, id: 'msg.1' })).rejects.toThrow(/"\."/);
    await expect(sign({ ...VECTOR, timestamp: 1.5 })).rejects.toThrow(/seconds/);
  });
});

describe('verify', () => {
  async function signed(secret = generateSecret()) {
    return { secret, headers: await signatureHeaders(secret, 'msg_2', BODY, NOW) };
  }

  it('accepts a signature made by the standardwebhooks library', async () => {
    const secret = generateSecret();
    const headers = {
      'webhook-id': 'msg_ref',
      'webhook-timestamp': String(nowSeconds),
      'webhook-signature': oracleSign(secret, 'msg_ref', nowSeconds, BODY),
    };
    await expect(verify({ secret, headers, body: BODY, now: NOW })).resolves.toEqual({ ok: true });
  });

  it('reads a Headers object and plain objects in any header casing', async () => {
    const { secret, headers } = await signed();
    await expect(verify({ secret, headers: new Headers({ ...headers }), body: BODY, now: NOW })).resolves.toEqual({
      ok: true,
    });
    const shouting = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(verify({ secret, headers: shouting, body: BODY, now: NOW })).resolves.toEqual({ ok: true });
  });

  it('rejects a tampered body, in ours and in the standardwebhooks library', async () => {
    const { secret, headers } = await signed();
    const tampered = BODY.replace('42', '43');
    await expectFailure(verify({ secret, headers, body: tampered, now: NOW }), /No signature/);
    expect(oracleVerify({ secret, headers: { ...headers }, body: tampered, nowSeconds })).toBe(false);
  });

  it('rejects a tampered webhook-id, in ours and in the standardwebhooks library', async () => {
    const { secret, headers } = await signed();
    const tampered = { ...headers, 'webhook-id': 'msg_3' };
    await expectFailure(verify({ secret, headers: tampered, body: BODY, now: NOW }), /No signature/);
    expect(oracleVerify({ secret, headers: tampered, body: BODY, nowSeconds })).toBe(false);
  });

  it('rejects a tampered webhook-timestamp, even one still inside the tolerance', async () => {
    const { secret, headers } = await signed();
    const tampered = { ...headers, 'webhook-timestamp': String(nowSeconds - 1) };
    await expectFailure(verify({ secret, headers: tampered, body: BODY, now: NOW }), /No signature/);
    expect(oracleVerify({ secret, headers: tampered, body: BODY, nowSeconds })).toBe(false);
    const padded = { ...headers, 'webhook-timestamp': `0${nowSeconds}` };
    await expectFailure(verify({ secret, headers: padded, body: BODY, now: NOW }), /No signature/);
  });

  it('rejects the right signature under the wrong secret', async () => {
    const { headers } = await signed();
    await expectFailure(verify({ secret: generateSecret(), headers, body: BODY, now: NOW }), /No signature/);
  });

  it('finds the valid v1 signature among other versions and stale entries', async () => {
    const { secret, headers } = await signed();
    const header = [
      'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      headers['webhook-signature'],
      'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==',
    ].join(' ');
    await expect(verify({ secret, headers: { ...headers, 'webhook-signature': header }, body: BODY, now: NOW })).resolves.toEqual({
      ok: true,
    });
  });

  it('names the missing v1 signature when only other versions are present', async () => {
    const { secret, headers } = await signed();
    const only = { ...headers, 'webhook-signature': headers['webhook-signature'].replace(/^v1,/, 'v1a,') };
    await expectFailure(verify({ secret, headers: only, body: BODY, now: NOW }), /no v1 signature/);
  });

  it.each([
    ['cut short', (s: string) => s.slice(0, 8)],
    ['empty after the version', () => 'v1,'],
    ['not base64', () => 'v1,dawfeoifkpqwoekfpqoekf'],
    ['one bit off', (s: string) => s.replace(/.=$/, (c) => (c[0] === 'A' ? 'B=' : 'A='))],
  ])('rejects a signature that is %s', async (_label, mangle) => {
    const { secret, headers } = await signed();
    const bad = { ...headers, 'webhook-signature': mangle(headers['webhook-signature']) };
    expect((await verify({ secret, headers: bad, body: BODY, now: NOW })).ok).toBe(false);
  });

  describe('timestamp tolerance', () => {
    it.each([
      ['300 s old', -300],
      ['300 s ahead', 300],
    ])('accepts a timestamp %s, the edge of the default 5-minute window', async (_label, offset) => {
      const { secret, headers } = await signed();
      const now = new Date(NOW.getTime() - offset * 1000);
      await expect(verify({ secret, headers, body: BODY, now })).resolves.toEqual({ ok: true });
    });

    it('rejects a timestamp 301 s old as a possible replay', async () => {
      const { secret, headers } = await signed();
      await expectFailure(verify({ secret, headers, body: BODY, now: new Date(NOW.getTime() + 301_000) }), /300 seconds old.*replay/);
      expect(oracleVerify({ secret, headers: { ...headers }, body: BODY, nowSeconds: nowSeconds + 301 })).toBe(false);
    });

    it('rejects a timestamp 301 s in the future', async () => {
      const { secret, headers } = await signed();
      await expectFailure(verify({ secret, headers, body: BODY, now: new Date(NOW.getTime() - 301_000) }), /300 seconds in the future/);
    });

    it('honours a custom tolerance', async () => {
      const { secret, headers } = await signed();
      const later = new Date(NOW.getTime() + 61_000);
      await expectFailure(verify({ secret, headers, body: BODY, now: later, toleranceSeconds: 60 }), /60 seconds old/);
      await expect(verify({ secret, headers, body: BODY, now: later, toleranceSeconds: 61 })).resolves.toEqual({
        ok: true,
      });
    });

    it('checks the timestamp before the signature, so a stale but genuine delivery is refused', async () => {
      await expectFailure(verify({ secret: VECTOR.secret, headers: vectorHeaders, body: VECTOR.body, now: NOW }), /old/);
    });
  });

  it.each([
    ['webhook-id', /webhook-id header is missing/],
    ['webhook-timestamp', /webhook-timestamp header is missing/],
    ['webhook-signature', /webhook-signature header is missing/],
  ] as const)('reports a missing %s header by name', async (name, pattern) => {
    const { secret, headers } = await signed();
    const { [name]: _dropped, ...rest } = headers;
    await expectFailure(verify({ secret, headers: rest, body: BODY, now: NOW }), pattern);
  });

  it.each(['hello', '1614265330abc', '-5', '1.5e9', ''])('rejects the non-integer webhook-timestamp %j', async (value) => {
    const { secret, headers } = await signed();
    const outcome = await verify({
      secret,
      headers: { ...headers, 'webhook-timestamp': value },
      body: BODY,
      now: NOW,
    });
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/webhook-timestamp/) });
  });

  it('rejects a webhook-id containing "." since it would make the signed content ambiguous', async () => {
    const { secret, headers } = await signed();
    await expectFailure(verify({ secret, headers: { ...headers, 'webhook-id': 'msg.2' }, body: BODY, now: NOW }), /must not contain "\."/);
  });

  it.each([
    ['without the whsec_ prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['with an empty key', 'whsec_'],
    ['that is not base64', 'whsec_not base64!'],
    ['with unpadded base64', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS'],
    ['shorter than 24 bytes', `whsec_${btoa('only sixteen byt')}`],
    ['longer than 64 bytes', `whsec_${btoa('x'.repeat(65))}`],
  ])('reports a secret %s as malformed instead of throwing', async (_label, secret) => {
    await expectFailure(verify({ secret, headers: vectorHeaders, body: VECTOR.body, now: atVector }), /signing secret is malformed/);
  });
});
