import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefixAllows, prefixProblem } from '../../../apps-script/api/allowlist.ts';
import { buildAddon, whitelistFor, type BuildResult } from '../../../apps-script/build.ts';
import { allowlistMatches } from '../../support/apps-script/url-fetch.ts';
import { AppsScriptWorld } from '../../support/apps-script/world.ts';

// urlFetchWhitelist: the manifest list a versioned add-on deployment must carry
// (https://developers.google.com/apps-script/manifest/allowlist-url). The build writes it,
// connect() refuses an address outside it, and the UrlFetchApp stand-in refuses what Apps
// Script would.

const DOCUMENTED: readonly [prefix: string, url: string, matches: boolean][] = [
  ['https://example.com/foo', 'https://example.com/foo', true],
  ['https://example.com/foo', 'https://example.com/foo/', true],
  ['https://example.com/foo', 'https://example.com/foo/bar', true],
  ['https://example.com/foo', 'https://example.com/foo?bar', true],
  ['https://example.com/foo', 'https://example.com/foo#bar', true],
  ['https://example.com/foo', 'https://example.com/foobar', false],
  ['https://example.com/foo', 'https://example.com/Foo', false],
  ['https://example.com/foo', 'http://example.com/foo', false],
  ['https://*.example.com/foo', 'https://subdomain.example.com/foo', true],
  ['https://*.example.com/foo', 'https://any.number.of.subdomains.example.com/foo', true],
  ['https://*.example.com/foo', 'https://subdomain.example.com/bar', false],
  ['https://*.example.com/foo', 'https://example.com/foo', false],
  ['https://bridge.example.com/', 'https://bridge.example.com/v1/views', true],
  ['https://bridge.example.com/', 'https://bridge.example.com.evil.test/v1/views', false],
];

describe('allowlist prefix rules', () => {
  it.each(DOCUMENTED)('%s against %s: %s, in the add-on and in the stand-in alike', (prefix, url, matches) => {
    expect(prefixAllows(prefix, url)).toBe(matches);
    expect(allowlistMatches(prefix, url)).toBe(matches);
  });

  it('refuses prefixes a manifest cannot hold', () => {
    for (const bad of [
      'http://bridge.example.com/',
      'https://bridge.example.com',
      'https://*.*.example.com/foo',
      'https://subdomain.*.example.com/foo',
      'https://localhost/',
    ]) {
      expect(prefixProblem(bad), bad).not.toBeNull();
    }
    expect(prefixProblem('https://bridge.example.com/')).toBeNull();
  });

  it('turns bridge addresses into prefixes at build time, refusing one a published add-on could not fetch', () => {
    expect(whitelistFor(['https://bridge.example.com', 'https://bridge.example.com/', ' '])).toEqual(['https://bridge.example.com/']);
    expect(() => whitelistFor(['http://127.0.0.1:8787'])).toThrow(/A published add-on may fetch only https addresses/);
  });
});

describe('a build with a bridge address', () => {
  let dir: string;
  let project: BuildResult;
  const open: AppsScriptWorld[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'acb-allowlist-'));
    project = await buildAddon(join(dir, 'dist'), { bridgeUrls: ['https://bridge.example.com'] });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(open.map((w) => w.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes urlFetchWhitelist into appsscript.json', () => {
    expect(JSON.parse(project.files['appsscript.json']!)).toMatchObject({ urlFetchWhitelist: ['https://bridge.example.com/'] });
  });

  it('refuses to connect to an address outside the list, saying why, before fetching anything', () => {
    const world = new AppsScriptWorld({ projectDir: project.outDir, mode: 'addon' });
    open.push(world);
    const result = world.sidebarCall('sidebarConnect', ['https://other.example.org', 'acb_demo_acme_0000']);
    expect(result.error).toBe(
      'This copy of the add-on may only connect to https://bridge.example.com/: Google lets a published add-on fetch only the addresses listed in its manifest (urlFetchWhitelist). Use that address, or ask whoever published the add-on to rebuild it with yours.',
    );
    expect(world.fetches).toEqual([]);
  });

  it('has the UrlFetchApp stand-in refuse what the manifest does not list', () => {
    const world = new AppsScriptWorld({ projectDir: project.outDir, mode: 'addon' });
    open.push(world);
    const refused = world.direct('editor', (s) => s.UrlFetchApp.fetch('https://other.example.org/v1/views'));
    expect(refused.error).toBe('Exception: URL not allowed by urlFetchWhitelist in the manifest: https://other.example.org/v1/views');
  });
});
