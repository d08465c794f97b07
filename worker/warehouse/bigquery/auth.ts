import { ApiError } from '../../http/errors.ts';
import { warnRecovered } from '../../log.ts';
import { toBase64url } from '../../encoding/base64.ts';

/** Read-only access to BigQuery data, and the right to run query jobs with it. */
export const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery.readonly';
/** Google's token endpoint, used when a key has no token_uri. */
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google accepts assertions valid for at most an hour. */
const ASSERTION_LIFETIME_SECONDS = 3600;
/** Refresh this long before expiry, so a token never expires between check and use. */
const REFRESH_MARGIN_SECONDS = 60;

/** What BigQuery calls need: a bearer token, and a way to drop it when Google rejects it. */
export interface TokenSource {
  token(): Promise<string>;
  /** Forget the cached token (after a 401), so the next call fetches a fresh one. */
  invalidate(): void;
  /** The identity to name in "grant access to ..." messages. */
  readonly principal: string;
}

/** The fields of a Google service-account JSON key this server uses. */
export interface ServiceAccountKey {
  readonly clientEmail: string;
  readonly privateKeyPem: string;
  readonly privateKeyId: string | null;
  readonly tokenUri: string;
  readonly projectId: string | null;
}

/** The secret's name, quoted in every message about it so an operator knows what to fix. */
export const CREDENTIALS_SECRET = 'GOOGLE_SERVICE_ACCOUNT_JSON';

const misconfigured = (problem: string) =>
  new ApiError(
    503,
    'warehouse-unavailable',
    `The server's BigQuery credentials are not usable: ${problem} Set the ${CREDENTIALS_SECRET} secret to the service account's JSON key, as downloaded from Google Cloud.`,
  );

/**
 * Parses and checks a service-account key. Errors name the missing or malformed field but
 * never echo the key's contents.
 */
export function parseServiceAccountKey(json: string | undefined): ServiceAccountKey {
  if (json === undefined || json.trim() === '') throw misconfigured(`${CREDENTIALS_SECRET} is not set.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw misconfigured(`${CREDENTIALS_SECRET} is not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw misconfigured('the key is not a JSON object.');
  const key = parsed as Record<string, unknown>;
  if (key['type'] !== undefined && key['type'] !== 'service_account') {
    throw misconfigured(
      `the key's type is '${String(key['type']).slice(0, 40)}', not 'service_account' (a user or workload-identity credential will not work).`,
    );
  }
  const text = (field: string): string | null =>
    typeof key[field] === 'string' && (key[field] as string).trim() !== '' ? (key[field] as string) : null;
  const clientEmail = text('client_email');
  if (!clientEmail || !/^[^@\s]+@[^@\s]+$/.test(clientEmail)) throw misconfigured('client_email is missing or not an email address.');
  const privateKeyPem = text('private_key');
  if (!privateKeyPem) throw misconfigured('private_key is missing.');
  if (/BEGIN RSA PRIVATE KEY/.test(privateKeyPem)) {
    throw misconfigured('private_key is a PKCS#1 key; Google issues PKCS#8 keys ("BEGIN PRIVATE KEY"), so download a new JSON key.');
  }
  if (!/-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----/.test(privateKeyPem)) {
    throw misconfigured('private_key is not a PEM "PRIVATE KEY" block (check that its \\n line breaks survived copying).');
  }
  const tokenUri = text('token_uri') ?? DEFAULT_TOKEN_URI;
  let url: URL;
  try {
    url = new URL(tokenUri);
  } catch {
    throw misconfigured('token_uri is not a URL.');
  }
  // Plain http only for a local stand-in: an access token must never cross a network in clear.
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw misconfigured('token_uri must be an https URL.');
  return { clientEmail, privateKeyPem, privateKeyId: text('private_key_id'), tokenUri, projectId: text('project_id') };
}

/** The DER bytes inside a PEM block. */
function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem
    .replace(/-----(BEGIN|END) [A-Z ]+-----/g, '')
    .replace(/\\n/g, '')
    .replace(/\s+/g, '');
  const bin = atob(body);
  const der = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) der[i] = bin.charCodeAt(i);
  return der;
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('pkcs8', pemToDer(pem), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  } catch {
    throw misconfigured('private_key could not be read as an RSA key.');
  }
}

/**
 * A signed JWT assertion for the token endpoint (RFC 7523): RS256 over the service
 * account's claims, valid for an hour from `nowSeconds`.
 */
async function signAssertion(key: ServiceAccountKey, signingKey: CryptoKey, scope: string, nowSeconds: number): Promise<string> {
  const header = { alg: 'RS256', typ: 'JWT', ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) };
  const claims = {
    iss: key.clientEmail,
    scope,
    aud: key.tokenUri,
    iat: nowSeconds,
    exp: nowSeconds + ASSERTION_LIFETIME_SECONDS,
  };
  const input = `${toBase64url(JSON.stringify(header))}.${toBase64url(JSON.stringify(claims))}`;
  const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', signingKey, new TextEncoder().encode(input)));
  return `${input}.${toBase64url(signature)}`;
}

/** Test seams and tuning for ServiceAccountTokenSource; production uses the defaults. */
export interface ServiceAccountTokenOptions {
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  readonly now?: () => number;
  readonly scope?: string;
  /** How long one token exchange may take before callers are answered 503 (default 10 s). */
  readonly timeoutMs?: number;
}

interface CachedToken {
  readonly value: string;
  /** Milliseconds since the epoch after which the token is not used. */
  readonly refreshAt: number;
}

/**
 * Access tokens for a service account, by the JWT bearer flow. A token is cached until a
 * minute before it expires; concurrent callers while a refresh is in flight share that one
 * refresh instead of each signing and exchanging their own.
 */
export class ServiceAccountTokenSource implements TokenSource {
  private readonly fetch_: typeof fetch;
  private readonly now_: () => number;
  private readonly scope_: string;
  private readonly timeoutMs_: number;
  private signingKey_: Promise<CryptoKey> | null = null;
  private cached_: CachedToken | null = null;
  private inflight_: Promise<string> | null = null;
  private inflightSince_ = 0;

  private readonly key: ServiceAccountKey;

  constructor(key: ServiceAccountKey, options: ServiceAccountTokenOptions = {}) {
    this.key = key;
    this.fetch_ = options.fetch ?? ((input, init) => fetch(input, init));
    this.now_ = options.now ?? Date.now;
    this.scope_ = options.scope ?? BIGQUERY_SCOPE;
    this.timeoutMs_ = options.timeoutMs ?? 10_000;
  }

  get principal(): string {
    return this.key.clientEmail;
  }

  token(): Promise<string> {
    const now = this.now_();
    if (this.cached_ && now < this.cached_.refreshAt) return Promise.resolve(this.cached_.value);
    // The shared refresh may belong to a request that was cancelled mid-flight, and then it
    // never settles; past the timeout, the next caller starts its own.
    if (!this.inflight_ || now - this.inflightSince_ > this.timeoutMs_) {
      const refresh: Promise<string> = this.refresh_().finally(() => {
        if (this.inflight_ === refresh) this.inflight_ = null;
      });
      this.inflight_ = refresh;
      this.inflightSince_ = now;
    }
    return within(this.inflight_, this.timeoutMs_);
  }

  invalidate(): void {
    this.cached_ = null;
  }

  private async refresh_(): Promise<string> {
    // A bad key fails the same way every time; keep the rejection so it is reported, not retried.
    this.signingKey_ ??= importSigningKey(this.key.privateKeyPem);
    const signingKey = await this.signingKey_;
    const issuedAt = this.now_();
    const assertion = await signAssertion(this.key, signingKey, this.scope_, Math.floor(issuedAt / 1000));
    // One retry for a transient failure (no answer, 5xx, 429): a blip at Google's token
    // endpoint should not fail a request whose query would have run.
    let res: Response | null = null;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        res = await this.fetch_(this.key.tokenUri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
        });
      } catch (err) {
        warnRecovered('bigquery.token_request_failed', err, { attempt });
        res = null;
      }
      if (res && res.status < 500 && res.status !== 429) break;
      if (attempt === 1) await new Promise((r) => setTimeout(r, 200));
    }
    if (!res) {
      throw new ApiError(
        503,
        'warehouse-unavailable',
        'Google sign-in for BigQuery could not be reached. Try again in a minute.',
        {},
        { 'retry-after': '30' },
      );
    }
    const status = res.status;
    const body = (await res.json().catch((err: unknown) => {
      // The name only: a JSON parser's message quotes the text around the fault, a token's maybe.
      warnRecovered('bigquery.token_body_unreadable', err instanceof Error ? err.name : 'unreadable', { status });
      return null;
    })) as { access_token?: unknown; expires_in?: unknown; error?: unknown } | null;
    if (!res.ok || typeof body?.access_token !== 'string') throw tokenError(res.status, body?.error, this.key.clientEmail);
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    const refreshAt = issuedAt + Math.max(0, lifetime - REFRESH_MARGIN_SECONDS) * 1000;
    this.cached_ = { value: body.access_token, refreshAt };
    return body.access_token;
  }
}

/** Settles like `promise`, or rejects with a 503 once `ms` pass; each caller waits at most that long. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ApiError(
            503,
            'warehouse-unavailable',
            'Google sign-in for BigQuery did not answer in time. Try again in a minute.',
            {},
            { 'retry-after': '30' },
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}

function tokenError(status: number, error: unknown, principal: string): ApiError {
  const code = typeof error === 'string' ? error : 'unknown';
  console.error('bigquery token exchange failed', status, code);
  if (status >= 500 || status === 429) {
    return new ApiError(
      503,
      'warehouse-unavailable',
      'Google sign-in for BigQuery is not answering. Try again in a minute.',
      {},
      { 'retry-after': '30' },
    );
  }
  if (code === 'invalid_grant' || code === 'invalid_client' || code === 'unauthorized_client') {
    return new ApiError(
      502,
      'warehouse-error',
      `Google refused the BigQuery service account ${principal} (${code}). The key may have been deleted or disabled, or the server's clock is wrong; an administrator should create a new JSON key and update ${CREDENTIALS_SECRET}.`,
    );
  }
  return new ApiError(
    502,
    'warehouse-error',
    `Google sign-in for BigQuery failed (${code}). An administrator should check the ${CREDENTIALS_SECRET} key.`,
  );
}

const sources = new Map<string, ServiceAccountTokenSource>();

/**
 * The token source for a key, shared by every request in this isolate so the access token
 * is fetched once per hour rather than once per request. Keyed by the secret's text, so a
 * rotated secret gets a new source.
 */
export function sharedTokenSource(json: string | undefined, options: ServiceAccountTokenOptions = {}): ServiceAccountTokenSource {
  const cacheKey = json ?? '';
  let source = sources.get(cacheKey);
  if (!source) {
    source = new ServiceAccountTokenSource(parseServiceAccountKey(json), options);
    // Secrets rotate rarely; bound the map anyway so a misbehaving deploy cannot grow it.
    if (sources.size >= 4) sources.clear();
    sources.set(cacheKey, source);
  }
  return source;
}
