// The option parsing every npm script shares (scripts/lib/args.ts): `npm run seed`, `npm start`,
// `npm run bench`, `npm run test:reliability` and, through splitCommandLine, `npm run admin`.
import { describe, expect, it } from 'vitest';
import { parseArgs, splitCommandLine } from '../../../scripts/lib/args.ts';

const SEED = { size: 'string', seed: 'string', 'persist-to': 'string', 'if-missing': 'boolean' } as const;

describe('parseArgs', () => {
  it('refuses an unknown option, suggesting the nearest and listing all', () => {
    expect(() => parseArgs(['--sise', 'tiny'], SEED)).toThrow(
      'unknown option --sise (did you mean --size?); options: --size, --seed, --persist-to, --if-missing',
    );
  });

  it('lists without a guess when nothing is close', () => {
    expect(() => parseArgs(['--verbose'], SEED)).toThrow('unknown option --verbose; options: --size, --seed, --persist-to, --if-missing');
  });

  it('refuses a value on a flag rather than reading --if-missing=false as the flag', () => {
    expect(() => parseArgs(['--if-missing=false'], SEED)).toThrow('--if-missing takes no value');
  });

  it('keeps a value whole when it contains "="', () => {
    expect(parseArgs(['--persist-to=/tmp/a=b', '--size', 'tiny'], SEED)).toEqual({ 'persist-to': '/tmp/a=b', size: 'tiny' });
  });

  it('refuses an option without its value instead of taking the next option as the value', () => {
    expect(() => parseArgs(['--size', '--if-missing'], SEED)).toThrow(
      "--size needs a value (to give one that starts with '-', write --size=--if-missing)",
    );
    expect(() => parseArgs(['--size'], SEED)).toThrow('--size needs a value');
  });

  it('refuses an option given twice with different values', () => {
    expect(() => parseArgs(['--size', 'tiny', '--size=large'], SEED)).toThrow('--size is given twice; give it once');
  });

  it('refuses a stray argument', () => {
    expect(() => parseArgs(['tiny'], SEED)).toThrow("unexpected argument 'tiny'");
  });
});

describe('splitCommandLine', () => {
  it('keeps the words in order and unknown options with their values, for the caller to refuse by name', () => {
    expect(splitCommandLine(['tenant', '--timezone', 'UTC', 'add', 'acme', '--remote', '-x'], { remote: 'boolean' })).toEqual({
      words: ['tenant', 'add', 'acme'],
      options: { timezone: 'UTC', remote: true, '-x': true },
    });
  });
});
