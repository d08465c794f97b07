/**
 * The benchmark's one table, with the machine it ran on, as markdown.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { SQLITE3 } from './sqlite-baseline.ts';

export interface Row {
  readonly id: string;
  readonly what: string;
  readonly api: string;
  readonly baseline: string;
  /** "2.9x the baseline"-style comparison, or '' when there is none. */
  readonly ratio: string;
  /** The goal of issue 12 for this row, and whether this run met it ('yes', 'NO', 'n/a'), or '' for none. */
  readonly goal?: string;
  readonly met?: string;
}

const escape = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function table(rows: readonly Row[]): string {
  const lines = [
    '| # | measure | API (workerd) | baseline (same run) | ratio | goal | met |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const cells = [r.id, r.what, r.api, r.baseline, r.ratio, r.goal ?? '', r.met ?? ''].map(escape);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const loadText = (load: readonly number[]) => load.map((l) => l.toFixed(2)).join(' / ');

function versionOf(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0]!.slice(0, 80) : 'unknown';
}

export function machineInfo(wranglerBin: string, loadAtStart: readonly number[], loadAtEnd: readonly number[] = loadavg()): string[] {
  const cpu = cpus();
  return [
    `- date: ${new Date().toISOString()}`,
    `- cpu: ${cpu.length} x ${cpu[0]?.model ?? 'unknown'}`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB; kernel ${release()}`,
    `- load average (1/5/15 min) at start: ${loadText(loadAtStart)}; at end: ${loadText(loadAtEnd)} (other work on the machine skews every figure)`,
    `- node ${process.version}; wrangler ${versionOf(wranglerBin, ['--version'])}; sqlite3 ${versionOf(SQLITE3, ['-version']).split(' ')[0]}`,
  ];
}

export const fmt = {
  seconds: (s: number) => (s >= 10 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`),
  ms: (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`),
  count: (n: number) =>
    n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : n.toLocaleString('en-US', { maximumFractionDigits: 1 }),
  mb: (bytes: number) => `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`,
  mib: (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`,
  /** "3.1x slower" when a > b for times; callers pick the words. */
  ratio: (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x` : 'n/a'),
};
