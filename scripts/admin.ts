/**
 * `npm run admin -- <command>`: tenants and API keys, against the local D1 database
 * (default) or the deployed one (--remote). Keys are printed once and stored only hashed.
 * `npm run admin -- --help` lists the commands (scripts/lib/admin-commands.ts) and their options.
 *
 * A command line is checked whole before anything is read or written: an unknown command or
 * option, a missing or extra argument, or a missing required option stops it with exit code 1.
 */
import { inline, type Statement } from '../worker/tenants/admin.ts';
import { ADMIN_COMMANDS, type AdminCommand, type CommandContext, type Row } from './lib/admin-commands.ts';
import { splitCommandLine, unknownOptionsProblem, type OptionKinds } from './lib/args.ts';
import { applyLocalMigrations, persistArgs, wrangler } from './lib/wrangler.ts';

/** Which database a command runs against. */
export type Target = { readonly remote: true } | { readonly remote: false; readonly persistTo?: string };

export interface AdminIO {
  /** Runs statements in order against the target, and returns each one's rows. */
  readonly execute: (target: Target, ...statements: Statement[]) => Promise<Row[][]>;
  readonly log: (text: string) => void;
  readonly table: (rows: readonly Row[]) => void;
}

/** Options every command takes. */
const COMMON: Record<string, { readonly value?: string; readonly help: string }> = {
  remote: { help: 'the deployed database' },
  'persist-to': { value: 'DIR', help: 'a local database kept in DIR (default .wrangler/state)' },
};

const KINDS: OptionKinds = Object.fromEntries([
  ...ADMIN_COMMANDS.flatMap((command) => Object.keys(command.options).map((name) => [name, 'string'] as const)),
  ...Object.entries(COMMON).map(([name, spec]) => [name, spec.value ? 'string' : 'boolean'] as const),
  ['help', 'boolean'] as const,
]);

const PREFIX = 'npm run admin --';

function synopsis(command: AdminCommand): string {
  const args = command.args.map((arg) => (arg.optional ? `[<${arg.name}>]` : `<${arg.name}>`));
  const required = Object.entries(command.options)
    .filter(([, spec]) => spec.required)
    .map(([name, spec]) => `--${name} ${spec.value}`);
  return [command.name, ...args, ...required].join(' ');
}

/** The usage text, from the command definitions. */
export function usage(): string {
  const lines = ['usage: npm run admin -- <command> [options]', ''];
  for (const command of ADMIN_COMMANDS) {
    lines.push(`  ${synopsis(command).padEnd(40)} ${command.summary}`);
    for (const [name, spec] of Object.entries(command.options)) {
      if (!spec.required) lines.push(`      ${`--${name} ${spec.value}`.padEnd(36)} ${spec.help}`);
    }
  }
  lines.push('', 'every command:');
  for (const [name, spec] of Object.entries(COMMON))
    lines.push(`      ${`--${name}${spec.value ? ` ${spec.value}` : ''}`.padEnd(36)} ${spec.help}`);
  lines.push(`      ${'--help'.padEnd(36)} this text`);
  return lines.join('\n');
}

function isHelp(argv: readonly string[]): boolean {
  return argv[0] === 'help' || argv.some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Runs one admin command line. Throws an Error whose message says what to fix; the caller
 * prints it and exits 1.
 * @example await admin(['key', 'revoke', 'key_0123456789abcdef', '--remote'], io)
 */
export async function admin(argv: readonly string[], io: AdminIO): Promise<void> {
  if (isHelp(argv)) {
    io.log(usage());
    return;
  }
  if (argv.length === 0) throw new Error(`no command given.\n\n${usage()}`);
  const { words, options } = splitCommandLine(argv, KINDS);
  const name = words.slice(0, 2).join(' ');
  const command = ADMIN_COMMANDS.find((c) => c.name === name);
  if (!command) {
    const names = ADMIN_COMMANDS.map((c) => c.name).join(', ');
    throw new Error(
      `${name ? `'${name}' is not a command.` : 'no command given.'} Commands: ${names} (${PREFIX} --help shows their options)`,
    );
  }

  const problem = unknownOptionsProblem(Object.keys(options), [...Object.keys(command.options), ...Object.keys(COMMON)], command.name);
  if (problem) throw new Error(problem);
  const args = words.slice(2);
  const expected = command.args.filter((arg) => !arg.optional).length;
  if (args.length < expected) throw new Error(`${command.name} needs <${command.args[args.length]!.name}>: ${PREFIX} ${synopsis(command)}`);
  if (args.length > command.args.length) {
    throw new Error(`unexpected argument '${args[command.args.length]!}' (quote a value that has spaces): ${PREFIX} ${synopsis(command)}`);
  }
  for (const [option, spec] of Object.entries(command.options)) {
    if (spec.required && options[option] === undefined) throw new Error(`${command.name} needs --${option} ${spec.value} (${spec.help})`);
  }
  const persistTo = typeof options['persist-to'] === 'string' ? options['persist-to'] : undefined;
  if (options.remote && persistTo !== undefined) {
    throw new Error('--persist-to names a local database and --remote the deployed one: give one of them');
  }

  const target: Target = options.remote ? { remote: true } : { remote: false, ...(persistTo !== undefined ? { persistTo } : {}) };
  const again = options.remote ? ' --remote' : persistTo !== undefined ? ` --persist-to ${persistTo}` : '';
  const context: CommandContext = {
    args,
    options,
    execute: (...statements) => io.execute(target, ...statements),
    log: io.log,
    table: io.table,
    suggest: (line) => `${PREFIX} ${line}${again}`,
  };
  await command.run(context);
}

/** `wrangler d1 execute`, local or remote; a local database gets its migrations first. */
function wranglerExecute(): AdminIO['execute'] {
  let migrated = false;
  return async (target, ...statements) => {
    const local = target.remote ? undefined : target.persistTo !== undefined ? { persistTo: target.persistTo } : {};
    if (local && !migrated) {
      applyLocalMigrations(local);
      migrated = true;
    }
    const where = local ? ['--local', ...persistArgs(local)] : ['--remote'];
    const out = wrangler(['d1', 'execute', 'DB', ...where, '--json', '--command', statements.map(inline).join('; ')], { quiet: true });
    const results = JSON.parse(out.slice(out.indexOf('['))) as { results: Row[] }[];
    return results.map((r) => r.results);
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const io: AdminIO = { execute: wranglerExecute(), log: (text) => console.log(text), table: (rows) => console.table(rows) };
  admin(process.argv.slice(2), io).catch((err: unknown) => {
    console.error(`admin: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
