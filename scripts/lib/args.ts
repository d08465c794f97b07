/**
 * Command-line options for the npm scripts: `--name value`, `--name=value` and `--flag`.
 * Every script refuses an option it does not know and names the ones it does, so a typo
 * (`--max-bytes-biled`) stops the command instead of being silently ignored.
 *
 * Node's own `util.parseArgs` splits the command line (`--name=value`, `-x`, `--`); the rules
 * it leaves to its caller are ours: a value that looks like an option is refused, an unknown
 * option is kept with its value so it can be refused by name, and a repeated option must agree.
 */
import { parseArgs as tokenize } from 'node:util';
import { nearestNames } from '../../worker/query/suggest.ts';

/** The options a command knows: those that take a value, and flags that take none. */
export type OptionKinds = Readonly<Record<string, 'string' | 'boolean'>>;

/** An option as `--help` shows it: the placeholder of its value (none for a flag) and what it does. */
interface OptionHelp {
  readonly value?: string;
  readonly help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionHelp>>;

export interface CommandLine {
  /** The arguments that are not options, in order: `tenant add acme`. */
  readonly words: string[];
  /**
   * Options by name, without the leading `--` (a single-dash option such as `-x` keeps its dash);
   * a flag is `true`. Options not in `known` are kept too, so the caller can refuse them by name
   * once it knows which options apply.
   */
  readonly options: Record<string, string | true>;
}

/** `--size`, or `-x` as typed. */
function optionName(name: string): string {
  return name.startsWith('-') ? name : `--${name}`;
}

const looksLikeOption = (arg: string) => arg.startsWith('-') && arg !== '-';

/**
 * Splits argv into words and options. An option that takes a value takes the next argument,
 * unless that starts with `-`: `--label --remote` is a forgotten label, not a label
 * "--remote" (and a local write where a remote one was meant).
 */
export function splitCommandLine(argv: readonly string[], known: OptionKinds): CommandLine {
  const { tokens } = tokenize({
    args: [...argv],
    options: Object.fromEntries(Object.entries(known).map(([name, type]) => [name, { type }])),
    // Unknown options must reach us, with their values, to be refused by name with a suggestion.
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const words: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'positional') {
      words.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const typed = token.rawName;
    const name = typed.startsWith('--') ? token.name : typed;
    const kind = Object.hasOwn(known, name) ? known[name] : undefined;
    let value: string | true;
    if (kind === 'boolean') {
      // `--remote=false` would still read as the flag: refuse it rather than guess.
      if (token.value !== undefined) throw new Error(`${typed} takes no value`);
      value = true;
    } else if (kind === 'string') {
      if (token.value === undefined) throw new Error(`${typed} needs a value`);
      if (!token.inlineValue && looksLikeOption(token.value)) {
        throw new Error(`${typed} needs a value (to give one that starts with '-', write ${typed}=${token.value})`);
      }
      value = token.value;
    } else if (token.value !== undefined) {
      value = token.value;
    } else {
      // Unknown: it takes the word right after it, so `--timezne UTC` is refused whole.
      const next = tokens[i + 1];
      if (next?.kind === 'positional' && next.index === token.index + 1) {
        value = next.value;
        i++;
      } else value = true;
    }
    if (Object.hasOwn(options, name) && options[name] !== value) {
      throw new Error(`${typed} is given twice; give it once`);
    }
    options[name] = value;
  }
  return { words, options };
}

/**
 * The sentence that refuses options a command does not take, with the nearest valid name and
 * the list of valid ones; undefined when every option is known.
 * @example unknownOptionsProblem(['sise'], ['size', 'seed']) // "unknown option --sise (did you mean --size?); options: --size, --seed"
 */
export function unknownOptionsProblem(given: readonly string[], known: readonly string[], command?: string): string | undefined {
  const unknown = given.filter((name) => !known.includes(name));
  if (unknown.length === 0) return undefined;
  const described = unknown.map((name) => {
    // A one-letter name is close to everything; only suggest for a recognisable typo.
    const nearest = name.replace(/^-+/, '').length >= 3 ? nearestNames(name, known, 1) : [];
    return nearest.length ? `${optionName(name)} (did you mean ${optionName(nearest[0]!)}?)` : optionName(name);
  });
  const list = known.map(optionName).join(', ');
  return `unknown option${unknown.length > 1 ? 's' : ''} ${described.join(', ')}; ${command ? `options for ${command}` : 'options'}: ${list}`;
}

/** `--name value` and `--flag` for a script without subcommands: the options in `known`, nothing else. */
export function parseArgs(argv: readonly string[], known: OptionKinds): Record<string, string | boolean> {
  const { words, options } = splitCommandLine(argv, known);
  const problem = unknownOptionsProblem(Object.keys(options), Object.keys(known));
  if (problem) throw new Error(problem);
  if (words.length) throw new Error(`unexpected argument '${words[0]}'`);
  return options;
}

/** What parseArgs needs from the options `--help` describes: a value placeholder means a value. */
export function optionKinds(specs: OptionSpecs): OptionKinds {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.value === undefined ? 'boolean' : 'string']));
}

/** `--help` or `-h` anywhere: print the usage and do nothing else, as `npm run admin -- --help` does. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * The `--help` text of a script without subcommands, from the same specs its parser uses.
 * @example usage('npm run seed -- [options]', 'Rebuilds the demo warehouse.', { size: { value: 'NAME', help: 'tiny, small or large' } })
 */
export function usage(synopsis: string, summary: string, specs: OptionSpecs): string {
  const lines = [`usage: ${synopsis}`, '', summary, '', 'options:'];
  for (const [name, spec] of Object.entries(specs)) {
    lines.push(`  ${`--${name}${spec.value === undefined ? '' : ` ${spec.value}`}`.padEnd(28)} ${spec.help}`);
  }
  return lines.join('\n');
}
