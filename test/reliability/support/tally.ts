/**
 * The reliability run's bookkeeping: named checks that pass or fail with a reason, and the
 * counters printed at the end (requests sent, faults injected, inputs tried, rows lost).
 * A failed check never stops the run; every section reports, then the exit code says.
 */

export interface Failure {
  readonly section: string;
  readonly check: string;
  readonly detail: string;
}

export class Tally {
  requests = 0;
  faultsInjected = 0;
  inputsTried = 0;
  rowsChecked = 0;
  rowsLost = 0;
  rowsDuplicated = 0;
  readonly failures: Failure[] = [];
  readonly notes: string[] = [];
  private passed_ = 0;
  private readonly sections_: { name: string; passed: number; failed: number; seconds: number; skipped?: string }[] = [];
  private current_: { name: string; passed: number; failed: number; started: number } | null = null;

  /** Starts a section; the previous one is closed. */
  section(name: string): void {
    this.close_();
    this.current_ = { name, passed: 0, failed: 0, started: Date.now() };
    console.log(`\n== ${name}`);
  }

  /** A section that could not run, with the reason. */
  skip(name: string, reason: string): void {
    this.close_();
    this.sections_.push({ name, passed: 0, failed: 0, seconds: 0, skipped: reason });
    console.log(`\n== ${name}: skipped (${reason})`);
  }

  /** Records a check; `detail` explains a failure in a sentence. */
  check(name: string, ok: boolean, detail = ''): boolean {
    if (ok) {
      this.passed_++;
      if (this.current_) this.current_.passed++;
    } else {
      const section = this.current_?.name ?? '(none)';
      this.failures.push({ section, check: name, detail });
      if (this.current_) this.current_.failed++;
      console.log(`  FAIL ${name}${detail ? `: ${detail}` : ''}`);
    }
    return ok;
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }

  get passed(): number {
    return this.passed_;
  }

  private close_(): void {
    if (!this.current_) return;
    const c = this.current_;
    const seconds = (Date.now() - c.started) / 1000;
    this.sections_.push({ name: c.name, passed: c.passed, failed: c.failed, seconds });
    console.log(`   ${c.name}: ${c.passed} passed, ${c.failed} failed (${seconds.toFixed(0)} s)`);
    this.current_ = null;
  }

  /** The closing summary, as printed. */
  summary(): string {
    this.close_();
    const lines = ['', '== reliability summary'];
    for (const s of this.sections_) {
      lines.push(
        s.skipped
          ? `  ${s.name}: skipped (${s.skipped})`
          : `  ${s.name}: ${s.passed} passed, ${s.failed} failed (${s.seconds.toFixed(0)} s)`,
      );
    }
    lines.push(
      `  requests: ${this.requests.toLocaleString('en-US')}`,
      `  faults injected: ${this.faultsInjected.toLocaleString('en-US')}`,
      `  inputs tried: ${this.inputsTried.toLocaleString('en-US')}`,
      `  rows checked: ${this.rowsChecked.toLocaleString('en-US')}`,
      `  rows lost: ${this.rowsLost}`,
      `  rows duplicated beyond at-least-once: ${this.rowsDuplicated}`,
      `  checks: ${this.passed_} passed, ${this.failures.length} failed`,
    );
    if (this.failures.length > 0) {
      lines.push('  failures:');
      for (const f of this.failures.slice(0, 60)) lines.push(`    [${f.section}] ${f.check}: ${f.detail}`);
      if (this.failures.length > 60) lines.push(`    ... and ${this.failures.length - 60} more`);
    }
    if (this.notes.length > 0) {
      lines.push('  notes:');
      for (const n of this.notes) lines.push(`    - ${n}`);
    }
    return lines.join('\n');
  }
}

/** Deterministic randomness (mulberry32), so a failing run can be replayed with its seed. */
export class Random {
  readonly seed: number;
  private state: number;
  constructor(seed: number) {
    this.seed = seed;
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** `n` distinct items (fewer when there are not that many). */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]!);
    return out;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}
