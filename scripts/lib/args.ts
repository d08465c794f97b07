/**
 * Command-line options for the npm scripts: `--name value`, `--name=value` and `--flag`.
 * Every script refuses an option it does not know and names the ones it does, so a typo
 * (`--max-bytes-biled`) stops the command instead of being silently ignored.
 */
import { nearestNames } from '../../worker/query/suggest.ts';

/** The options a command knows: those that take a value, and flags that take none. */
export type OptionKinds = Readonly<Record<string, 'string' | 'boolean'>>;

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
export function optionName(name: string): string {
  return name.startsWith('-') ? name : `--${name}`;
}

/**
 * Splits argv into words and options. An option that takes a value takes the next argument,
 * unless that starts with `-`: `--label --remote` is a forgotten label, not a label
 * "--remote" (and a local write where a remote one was meant).
 */
export function splitCommandLine(argv: readonly string[], known: OptionKinds): CommandLine {
  const words: string[] = [];
  const options: Record<string, string | true> = {};
  const looksLikeOption = (arg: string | undefined) => arg !== undefined && arg.startsWith('-') && arg !== '-';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!looksLikeOption(arg)) {
      words.push(arg);
      continue;
    }
    // Split at the first '=' only: `--name="Smith=Jones"` keeps its whole value.
    const eq = arg.indexOf('=');
    const typed = eq === -1 ? arg : arg.slice(0, eq);
    const name = typed.startsWith('--') ? typed.slice(2) : typed;
    let value: string | true | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    const kind = Object.hasOwn(known, name) ? known[name] : undefined;
    if (kind === 'boolean') {
      // `--remote=false` would still read as the flag: refuse it rather than guess.
      if (value !== undefined) throw new Error(`${typed} takes no value`);
      value = true;
    } else if (value === undefined) {
      const next = argv[i + 1];
      if (!looksLikeOption(next) && next !== undefined) {
        value = next;
        i++;
      } else if (kind === 'string') {
        throw new Error(
          next === undefined
            ? `${typed} needs a value`
            : `${typed} needs a value (to give one that starts with '-', write ${typed}=${next})`,
        );
      } else value = true; // unknown: refused by name by the caller, whatever its value
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
