import { describe, expect, it } from 'vitest';
import { checkTargetUrl, isForbiddenAddress, MAX_TARGET_URL_LENGTH } from '../../../worker/hooks/target-url.ts';

const production = { allowInsecureLocal: false };
const localDevelopment = { allowInsecureLocal: true };

const LOOPBACK = /loopback/;
const PRIVATE = /private network address/;
const LINK_LOCAL = /link-local/;
const CGNAT = /carrier-grade NAT/;
const METADATA = /metadata/;
const MULTICAST = /multicast/;
const RESERVED = /reserved or non-routable/;
const MAPPED = /IPv4-mapped IPv6/;
const INTERNAL_NAME = /only resolves inside private networks/;
const HTTPS = /must use https:\/\//;
const CREDENTIALS = /username or password/;
const NOT_A_URL = /not a valid absolute URL/;

describe('checkTargetUrl in production', () => {
  it.each([
    ['https://hooks.zapier.com/hooks/catch/123456/abcdef/', 'https://hooks.zapier.com/hooks/catch/123456/abcdef/'],
    ['https://hook.eu1.make.com/abc123', 'https://hook.eu1.make.com/abc123'],
    ['https://example.com', 'https://example.com/'],
    ['  https://example.com/hooks  ', 'https://example.com/hooks'],
    ['https://EXAMPLE.com:443/Path?q=1', 'https://example.com/Path?q=1'],
    ['https://example.com:8443/hooks?token=abc', 'https://example.com:8443/hooks?token=abc'],
    ['https://example.com/hooks#section', 'https://example.com/hooks'],
    ['https://bücher.example/hooks', 'https://xn--bcher-kva.example/hooks'],
    ['https://my-localhost.com/', 'https://my-localhost.com/'],
    ['https://localhost.example.com/', 'https://localhost.example.com/'],
    ['https://metadata.example.com/', 'https://metadata.example.com/'],
    ['https://8.8.8.8/', 'https://8.8.8.8/'],
    ['https://1.1.1.1/', 'https://1.1.1.1/'],
    ['https://[2606:4700:4700::1111]/hooks', 'https://[2606:4700:4700::1111]/hooks'],
    // Just outside the refused blocks: off-by-one in a table would show here.
    ['https://9.255.255.255/', 'https://9.255.255.255/'],
    ['https://11.0.0.0/', 'https://11.0.0.0/'],
    ['https://100.63.255.255/', 'https://100.63.255.255/'],
    ['https://100.128.0.0/', 'https://100.128.0.0/'],
    ['https://126.255.255.255/', 'https://126.255.255.255/'],
    ['https://128.0.0.0/', 'https://128.0.0.0/'],
    ['https://169.253.255.255/', 'https://169.253.255.255/'],
    ['https://169.255.0.0/', 'https://169.255.0.0/'],
    ['https://172.15.255.255/', 'https://172.15.255.255/'],
    ['https://172.32.0.0/', 'https://172.32.0.0/'],
    ['https://192.167.255.255/', 'https://192.167.255.255/'],
    ['https://192.169.0.0/', 'https://192.169.0.0/'],
    ['https://223.255.255.255/', 'https://223.255.255.255/'],
    ['https://[2000::1]/', 'https://[2000::1]/'],
    ['https://[3ffe::1]/', 'https://[3ffe::1]/'],
    // A trailing dot on a public name is still that public name.
    ['https://example.com./hooks', 'https://example.com./hooks'],
    ['https://hooks.zapier.com../x', 'https://hooks.zapier.com../x'],
  ])('accepts %j as %s', (raw, href) => {
    const result = checkTargetUrl(raw, production);
    expect(result).toEqual({ ok: true, url: expect.any(URL) });
    expect(result.ok && result.url.href).toBe(href);
  });

  it.each([
    // Not a usable URL at all.
    ['', /empty/],
    ['   ', /empty/],
    ['not a url', NOT_A_URL],
    ['example.com/hooks', NOT_A_URL],
    ['/hooks/catch', NOT_A_URL],
    ['https://', NOT_A_URL],
    ['https://exa mple.com/', NOT_A_URL],
    ['https://[fe80::1%25eth0]/', NOT_A_URL],
    ['https://1.2.3.4.5/', NOT_A_URL],
    [`https://example.com/${'a'.repeat(MAX_TARGET_URL_LENGTH)}`, /longer than 2048 characters/],
    // Wrong scheme.
    ['http://example.com/hooks', HTTPS],
    ['http://localhost:8787/', HTTPS],
    ['localhost:8080', HTTPS],
    ['ftp://example.com/', HTTPS],
    ['file:///etc/passwd', HTTPS],
    ['javascript:alert(1)', HTTPS],
    ['data:text/plain,hello', HTTPS],
    ['wss://example.com/', HTTPS],
    // Credentials.
    ['https://user:pass@example.com/', CREDENTIALS],
    ['https://user@example.com/', CREDENTIALS],
    ['https://:secret@example.com/', CREDENTIALS],
    // Loopback, in every spelling the URL parser normalises.
    ['https://localhost/', LOOPBACK],
    ['https://LOCALHOST./', LOOPBACK],
    ['https://ｌｏｃａｌｈｏｓｔ/', LOOPBACK],
    ['https://api.localhost/', LOOPBACK],
    ['https://127.0.0.1/', LOOPBACK],
    ['https://127.0.0.1./', LOOPBACK],
    ['https://127.255.255.254:8443/', LOOPBACK],
    ['https://2130706433/', LOOPBACK],
    ['https://0x7f000001/', LOOPBACK],
    ['https://0x7f.0.0.1/', LOOPBACK],
    ['https://0177.0.0.1/', LOOPBACK],
    ['https://017700000001/', LOOPBACK],
    ['https://127.1/', LOOPBACK],
    ['https://１２７.０.０.１/', LOOPBACK],
    ['https://%31%32%37.0.0.1/', LOOPBACK],
    ['https://[::1]/', LOOPBACK],
    ['https://[0:0:0:0:0:0:0:1]/', LOOPBACK],
    // This network, private, shared and link-local.
    ['https://0/', RESERVED],
    ['https://0.0.0.0/', RESERVED],
    ['https://0.255.255.255/', RESERVED],
    ['https://10.0.0.1/', PRIVATE],
    ['https://10.255.255.255/', PRIVATE],
    ['https://167772161/', PRIVATE],
    ['https://0x0a.0.0.1/', PRIVATE],
    ['https://172.16.0.1/', PRIVATE],
    ['https://172.31.255.255/', PRIVATE],
    ['https://192.168.0.1/', PRIVATE],
    ['https://192.168.255.255/', PRIVATE],
    ['https://[fc00::1]/', PRIVATE],
    ['https://[fd12:3456:789a::1]/', PRIVATE],
    ['https://100.64.0.1/', CGNAT],
    ['https://100.127.255.255/', CGNAT],
    ['https://169.254.0.1/', LINK_LOCAL],
    ['https://169.254.255.255/', LINK_LOCAL],
    ['https://[fe80::1]/', LINK_LOCAL],
    ['https://[febf:ffff::1]/', LINK_LOCAL],
    // Cloud metadata endpoints.
    ['https://169.254.169.254/latest/meta-data/', METADATA],
    ['https://2852039166/latest/meta-data/', METADATA],
    ['https://metadata.google.internal/computeMetadata/v1/', METADATA],
    ['https://METADATA.google.internal./', METADATA],
    ['https://metadata/computeMetadata/v1/', METADATA],
    ['https://[fd00:ec2::254]/latest/meta-data/', METADATA],
    ['https://100.100.100.200/latest/meta-data/', METADATA],
    // Multicast and reserved.
    ['https://224.0.0.1/', MULTICAST],
    ['https://239.255.255.250/', MULTICAST],
    ['https://[ff02::1]/', MULTICAST],
    ['https://240.0.0.1/', RESERVED],
    ['https://255.255.255.255/', RESERVED],
    ['https://192.0.0.8/', RESERVED],
    ['https://192.0.2.1/', RESERVED],
    ['https://198.18.0.1/', RESERVED],
    ['https://198.19.255.255/', RESERVED],
    ['https://198.51.100.7/', RESERVED],
    ['https://203.0.113.9/', RESERVED],
    ['https://[::]/', RESERVED],
    ['https://[::127.0.0.1]/', RESERVED],
    ['https://[100::1]/', RESERVED],
    ['https://[64:ff9b::10.0.0.1]/', RESERVED],
    ['https://[2001::a00:1]/', RESERVED],
    ['https://[2001:db8::1]/', RESERVED],
    ['https://[2002:a00:1::1]/', RESERVED],
    ['https://[4000::1]/', RESERVED],
    // IPv4 inside IPv6.
    ['https://[::ffff:10.0.0.1]/', MAPPED],
    ['https://[::ffff:127.0.0.1]/', MAPPED],
    ['https://[::ffff:a9fe:a9fe]/', MAPPED],
    ['https://[::ffff:8.8.8.8]/', MAPPED],
    // Names only a private resolver answers.
    ['https://intranet/hooks', INTERNAL_NAME],
    ['https://printer.local/', INTERNAL_NAME],
    ['https://db.internal/', INTERNAL_NAME],
    ['https://nas.home.arpa/', INTERNAL_NAME],
    ['https://build.corp./', INTERNAL_NAME],
    // Trailing dots, which a resolver drops: two of them got past the checks (issue 11.7).
    ['https://localhost../', LOOPBACK],
    ['https://localhost.../hooks', LOOPBACK],
    ['https://api.localhost../', LOOPBACK],
    ['https://metadata.google.internal../', METADATA],
    ['https://metadata../', METADATA],
    ['https://foo.internal../', INTERNAL_NAME],
    ['https://printer.local.../', INTERNAL_NAME],
    ['https://intranet../', INTERNAL_NAME],
    ['https://127.0.0.1../', LOOPBACK],
    ['https://10.0.0.1.../', PRIVATE],
    ['https://169.254.169.254../latest/meta-data/', METADATA],
    ['https://0x7f.1../', LOOPBACK],
    ['https://2130706433../', LOOPBACK],
    // Empty labels: no resolver agrees on what they name.
    ['https://example..com/', /cannot be read/],
    // IPv6 forms carrying a forbidden IPv4 address.
    ['https://[::ffff:7f00:1]/', MAPPED],
    ['https://[0:0:0:0:0:ffff:169.254.169.254]/', MAPPED],
    ['https://[64:ff9b::a9fe:a9fe]/', RESERVED],
    ['https://[64:ff9b:1::a00:1]/', RESERVED],
    ['https://[2002:7f00:1::]/', RESERVED],
  ])('refuses %j, naming the problem', (raw, problem) => {
    const result = checkTargetUrl(raw, production);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(problem) });
  });

  it('shows the normalised host in the reason, so a disguised address is explained', () => {
    expect(checkTargetUrl('https://2130706433/', production)).toEqual({
      ok: false,
      reason: expect.stringContaining('(127.0.0.1)'),
    });
  });

  it('accepts a URL of exactly the maximum length', () => {
    const base = 'https://example.com/';
    const raw = base + 'a'.repeat(MAX_TARGET_URL_LENGTH - base.length);
    expect(checkTargetUrl(raw, production).ok).toBe(true);
  });

  it('refuses a URL that only exceeds the maximum length once normalised', () => {
    const base = 'https://example.com/';
    const raw = base + 'é'.repeat(MAX_TARGET_URL_LENGTH - base.length);
    expect(checkTargetUrl(raw, production)).toEqual({ ok: false, reason: expect.stringMatching(/once normalised/) });
  });
});

describe('checkTargetUrl in local development', () => {
  it.each([
    ['http://localhost:8787/hooks', 'http://localhost:8787/hooks'],
    ['http://127.0.0.1:8787/', 'http://127.0.0.1:8787/'],
    ['http://127.0.0.2/', 'http://127.0.0.2/'],
    ['http://2130706433/', 'http://127.0.0.1/'],
    ['http://[::1]:8787/', 'http://[::1]:8787/'],
    ['http://app.localhost/', 'http://app.localhost/'],
    ['https://localhost/', 'https://localhost/'],
    ['https://example.com/hooks', 'https://example.com/hooks'],
  ])('accepts %j', (raw, href) => {
    const result = checkTargetUrl(raw, localDevelopment);
    expect(result.ok && result.url.href).toBe(href);
  });

  it.each([
    ['http://example.com/', /only allowed to localhost/],
    ['http://8.8.8.8/', /only allowed to localhost/],
    ['http://10.0.0.1/', PRIVATE],
    ['http://192.168.1.20:8080/', PRIVATE],
    ['http://169.254.169.254/', METADATA],
    ['http://0.0.0.0:8787/', RESERVED],
    ['http://[::ffff:127.0.0.1]/', MAPPED],
    ['http://user:pw@localhost/', CREDENTIALS],
    ['ftp://localhost/', HTTPS],
  ])('still refuses %j', (raw, problem) => {
    expect(checkTargetUrl(raw, localDevelopment)).toEqual({ ok: false, reason: expect.stringMatching(problem) });
  });
});

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '2130706433',
    'localhost',
    'localhost.',
    '::1',
    '[::1]',
    '10.0.0.1',
    '172.20.1.1',
    '192.168.0.1',
    '100.64.0.1',
    '169.254.169.254',
    'metadata.google.internal',
    'fd00:ec2::254',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:a00:1',
    '0.0.0.0',
    '224.0.0.1',
    'printer.local',
    'localhost..',
    'metadata.google.internal..',
    'foo.internal..',
    '127.0.0.1..',
    '0177.0.0.1',
    '::ffff:7f00:1',
  ])('forbids %j', (host) => {
    expect(isForbiddenAddress(host)).toBe(true);
  });

  it.each(['', ' ', 'example.com@127.0.0.1', 'example.com/x', 'localhost:8080', 'fe80::1%eth0', '[::1', 'a b.com'])(
    'forbids %j, which is not a readable host',
    (host) => {
      expect(isForbiddenAddress(host)).toBe(true);
    },
  );

  it.each(['example.com', 'hooks.zapier.com', '8.8.8.8', '2606:4700:4700::1111', '[2606:4700:4700::1111]'])(
    'allows the public host %j',
    (host) => {
      expect(isForbiddenAddress(host)).toBe(false);
    },
  );

  it('allows loopback, and only loopback, in local development', () => {
    for (const host of ['localhost', '127.0.0.1', '::1', 'app.localhost']) {
      expect(isForbiddenAddress(host, localDevelopment)).toBe(false);
    }
    for (const host of ['10.0.0.1', '169.254.169.254', '0.0.0.0', '::ffff:127.0.0.1']) {
      expect(isForbiddenAddress(host, localDevelopment)).toBe(true);
    }
  });
});
