import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FetchParams, HTTPResponse, UrlFetchApp } from '../../../apps-script/types/apps-script.ts';
import type { Host } from './spreadsheet.ts';

/** UrlFetchApp's documented limits. */
const MAX_URL_LENGTH = 2048;
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 60_000;

interface BridgeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
  readonly redirect: 'follow' | 'manual';
}

type BridgeReply =
  | { readonly ok: true; readonly status: number; readonly headers: [string, string][]; readonly body: Uint8Array }
  | { readonly ok: false; readonly error: string; readonly tooLarge?: boolean };

// Plain CommonJS, evaluated in a worker thread: the only place real (async) HTTP happens.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { port, flag } = workerData;
const signal = new Int32Array(flag);
port.on('message', async (request) => {
  let reply;
  try {
    const init = { method: request.method, headers: request.headers, body: request.body, redirect: request.redirect };
    // A pooled connection the dev server closed while this thread sat idle: the request never
    // reached the Worker, so it goes once more (test/support/stale-socket.ts says why).
    const res = await fetch(request.url, init).catch((err) => {
      if (err && err.cause && err.cause.code === 'UND_ERR_SOCKET') return fetch(request.url, init);
      throw err;
    });
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    if (res.body) {
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > ${MAX_RESPONSE_BYTES}) { tooLarge = true; break; }
        chunks.push(chunk);
      }
    }
    reply = tooLarge
      ? { ok: false, tooLarge: true, error: 'too large' }
      : { ok: true, status: res.status, headers: [...res.headers], body: Buffer.concat(chunks) };
  } catch (err) {
    reply = { ok: false, error: String(err && err.cause ? err.cause.code || err.cause.message : err && err.message) };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

/**
 * Synchronous HTTP from the main thread, as UrlFetchApp.fetch is: the request goes to a
 * worker thread, the main thread blocks in Atomics.wait until the worker has put the reply
 * on a MessagePort, then takes it off synchronously with receiveMessageOnPort.
 */
export class SyncHttp {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private readonly flag = new SharedArrayBuffer(4);
  private readonly signal = new Int32Array(this.flag);

  request(request: BridgeRequest): BridgeReply {
    if (!this.worker) {
      const { port1, port2 } = new MessageChannel();
      this.worker = new Worker(WORKER, { eval: true, workerData: { port: port2, flag: this.flag }, transferList: [port2] });
      this.worker.unref();
      this.port = port1;
    }
    Atomics.store(this.signal, 0, 0);
    this.port!.postMessage(request);
    const waited = Atomics.wait(this.signal, 0, 0, FETCH_TIMEOUT_MS);
    const message = receiveMessageOnPort(this.port!);
    if (waited === 'timed-out' || !message) return { ok: false, error: 'timeout' };
    return message.message as BridgeReply;
  }

  async close(): Promise<void> {
    this.port?.close();
    await this.worker?.terminate();
    this.worker = null;
    this.port = null;
  }
}

class FakeHttpResponse implements HTTPResponse {
  private readonly status: number;
  private readonly headers: [string, string][];
  private readonly body: Uint8Array;

  constructor(status: number, headers: [string, string][], body: Uint8Array) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
  getResponseCode(): number {
    return this.status;
  }
  getContentText(): string {
    return Buffer.from(this.body).toString('utf8');
  }
  getHeaders(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of this.headers) {
      // Header names as a server typically sends them (Content-Type), not Node's lower case.
      const key = name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());
      const prior = out[key];
      out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
    }
    return out;
  }
  getAllHeaders(): Record<string, string | string[]> {
    return this.getHeaders();
  }
}

export interface FetchRecord {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
  readonly status: number | null;
}

/**
 * UrlFetchApp against real servers: the URL length limit and the 50 MB response limit
 * throw as Apps Script does, HTTP errors throw unless muteHttpExceptions, and each call
 * costs simulated time by the size of the reply.
 */
export function createUrlFetchApp(host: Host, http: SyncHttp, log: FetchRecord[], whitelist: readonly string[] | null = null): UrlFetchApp {
  return {
    fetch(url: string, params: FetchParams = {}): HTTPResponse {
      host.execution().check();
      if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new Error(`Invalid argument: ${url}`);
      if (whitelist && !whitelist.some((prefix) => allowlistMatches(prefix, url)))
        // The docs say such URLs cannot be fetched without quoting the error; this is the stand-in's wording.
        throw new Error(`Exception: URL not allowed by urlFetchWhitelist in the manifest: ${url}`);
      if (url.length > MAX_URL_LENGTH) throw new Error('Limit Exceeded: URLFetch URL Length.');
      const method = (params.method ?? 'get').toUpperCase();
      const headers: Record<string, string> = { ...(params.headers ?? {}) };
      if (params.contentType) headers['Content-Type'] = params.contentType;
      const body = params.payload === undefined || method === 'GET' ? null : String(params.payload);
      if (body !== null && !headers['Content-Type']) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const reply = http.request({ url, method, headers, body, redirect: params.followRedirects === false ? 'manual' : 'follow' });
      log.push({ url, method, headers, body, status: reply.ok ? reply.status : null });
      if (!reply.ok) {
        host.execution().charge(host.costs.fetch(0));
        if (reply.tooLarge) throw new Error('Limit Exceeded: URLFetch response size.');
        if (reply.error === 'timeout') throw new Error(`Timeout: ${url}`);
        throw new Error(`Address unavailable: ${url}`);
      }
      host.execution().charge(host.costs.fetch(reply.body.byteLength));
      const response = new FakeHttpResponse(reply.status, reply.headers, reply.body);
      if (reply.status >= 400 && !params.muteHttpExceptions) {
        const origin = /^https?:\/\/[^/]+/i.exec(url)![0];
        throw new Error(
          `Request failed for ${origin} returned code ${reply.status}. Truncated server response: ${response.getContentText().slice(0, 200)} (use muteHttpExceptions option to examine full response)`,
        );
      }
      return response;
    },
  };
}

/**
 * The manifest's rules for an allowlist prefix
 * (https://developers.google.com/apps-script/manifest/allowlist-url): a valid https URL with
 * a full domain and a non-empty path, and at most one wildcard, as the leading subdomain label.
 * Returns why a prefix is invalid, or null.
 */
function allowlistPrefixProblem(prefix: string): string | null {
  const m = /^https:\/\/([^/?#]+)(\/[^?#]*)$/.exec(prefix);
  if (!m) return 'must be an https:// URL with a path (https://example.com/ rather than https://example.com)';
  const host = m[1]!;
  if ((host.match(/\*/g) ?? []).length > 1) return 'may hold one wildcard only';
  if (host.includes('*') && !/^\*\.[^*]+$/.test(host)) return 'may use a wildcard only as its leading subdomain (https://*.example.com/)';
  if (!/^(\*\.)?([a-z0-9-]+\.)+[a-z0-9-]+(:\d+)?$/i.test(host)) return 'needs a full domain';
  return null;
}

/**
 * Whether a URL matches an allowlist prefix: identical, or a child of it (path, query or
 * fragment following), paths compared case-sensitively; `*.` stands for one or more
 * subdomains, never none (https://developers.google.com/apps-script/manifest/allowlist-url).
 */
export function allowlistMatches(prefix: string, url: string): boolean {
  if (allowlistPrefixProblem(prefix) !== null) return false;
  const p = /^https:\/\/([^/?#]+)(\/[^?#]*)$/.exec(prefix)!;
  const u = /^https:\/\/([^/?#]+)([^?#]*)(.*)$/.exec(url);
  if (!u) return false;
  const [prefixHost, host] = [p[1]!.toLowerCase(), u[1]!.toLowerCase()];
  const hostMatches = prefixHost.startsWith('*.')
    ? host.endsWith(prefixHost.slice(1)) && host.length > prefixHost.length - 1
    : host === prefixHost;
  if (!hostMatches) return false;
  const rest = (u[2] || '/') + u[3];
  const path = p[2]!;
  if (!rest.startsWith(path)) return false;
  const next = rest.charAt(path.length);
  return next === '' || path.endsWith('/') || next === '/' || next === '?' || next === '#';
}
