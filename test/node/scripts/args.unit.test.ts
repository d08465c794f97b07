// The option parsing every npm script shares (scripts/lib/args.ts): `npm run seed`, `npm start`,
// `npm run bench`, `npm run test:reliability` and, through splitCommandLine, `npm run admin`.
import { describe, expect, it } from 'vitest';
import { optionKinds, parseArgs, splitCommandLine, usage, wantsHelp } from '../../../scripts/lib/args.ts';

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

describe('splitCommandLine after --', () => {
  it('reads everything after -- as words, not options', () => {
    expect(splitCommandLine(['add', '--', '--not-an-option', '-x'], {})).toEqual({ words: ['add', '--not-an-option', '-x'], options: {} });
  });

  it('takes a lone - as a value, as for stdin', () => {
    expect(parseArgs(['--size', '-'], SEED)).toEqual({ size: '-' });
  });
});

describe('--help', () => {
  const SPECS = { size: { value: 'tiny|small|large', help: 'how much data' }, 'if-missing': { help: 'keep what is there' } };

  it('is asked for by --help or -h anywhere before --', () => {
    expect(wantsHelp(['--size', 'tiny', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['--size', 'tiny'])).toBe(false);
  });

  it('lists every option with its value placeholder and its help, from the specs the parser uses', () => {
    expect(usage('npm run seed -- [options]', 'Rebuilds the demo.', SPECS).split('\n')).toEqual([
      'usage: npm run seed -- [options]',
      '',
      'Rebuilds the demo.',
      '',
      'options:',
      '  --size tiny|small|large      how much data',
      '  --if-missing                 keep what is there',
    ]);
    expect(optionKinds(SPECS)).toEqual({ size: 'string', 'if-missing': 'boolean' });
    expect(() => parseArgs(['--if-missing=yes'], optionKinds(SPECS))).toThrow('--if-missing takes no value');
  });
});
