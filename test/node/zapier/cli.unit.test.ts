import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/wrangler.ts';

// The Zapier CLI is run with npx at a pinned version (zapier/package.json's `zapier-platform`
// script), not installed. It must be the release of the core the app runs on, or it would build
// and validate the app with another schema than the one Zapier runs it with.

const ZAPIER_DIR = join(ROOT, 'zapier');
const appPackage = JSON.parse(readFileSync(join(ZAPIER_DIR, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
/** The core the app resolves from zapier/, as the CLI packs it (its exports hide package.json). */
const installedCore = (() => {
  const main = createRequire(join(ZAPIER_DIR, 'package.json')).resolve('zapier-platform-core');
  const dir = main.slice(0, main.lastIndexOf(`${sep}zapier-platform-core${sep}`) + `${sep}zapier-platform-core`.length);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string }).version;
})();

/** Where the CLI's commands are written down for people: docs and the app's scripts. */
function documentedFiles(): string[] {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => join('docs', f))];
  for (const dir of ['zapier', join('zapier', 'src')]) {
    for (const f of readdirSync(join(ROOT, dir))) if (/\.(md|mts|ts|js|json)$/.test(f)) files.push(join(dir, f));
  }
  return files.map((f) => join(ROOT, f));
}

describe('the pinned Zapier CLI', () => {
  const script = appPackage.scripts['zapier-platform'] ?? '';
  const pinned = /^npx --yes --package zapier-platform-cli@(\d+\.\d+\.\d+) zapier-platform$/.exec(script)?.[1];

  it('is run by npx at an exact version, under the command CLI 19 has', () => {
    expect(script).toMatch(/^npx --yes --package zapier-platform-cli@\d+\.\d+\.\d+ zapier-platform$/);
  });

  it('is the version of zapier-platform-core the app pins and the one installed', () => {
    expect(pinned).toBe(appPackage.dependencies['zapier-platform-core']);
    expect(pinned).toBe(installedCore);
  });

  it('is the only CLI version the docs name, and no doc or script comment uses the removed `zapier` command', () => {
    const problems: string[] = [];
    for (const file of documentedFiles()) {
      const text = readFileSync(file, 'utf8');
      const name = relative(ROOT, file);
      for (const m of text.matchAll(/zapier-platform-cli@([\w.-]+)/g)) if (m[1] !== pinned) problems.push(`${name}: ${m[0]}`);
      for (const m of text.matchAll(
        /(?<![\w/.-])zapier (login|logout|register|push|promote|validate|invoke|build|logs|link|init|test|deploy|upload|migrate|env:\w+|describe|integrations|apps|versions|history|convert|scaffold|team:\w+|users:\w+)\b/g,
      )) {
        problems.push(`${name}: "${m[0]}"`);
      }
      if (/npm (install|i) (-g|--global) zapier-platform-cli(?!@)/.test(text)) problems.push(`${name}: an unpinned global CLI install`);
    }
    expect(problems).toEqual([]);
  });
});
