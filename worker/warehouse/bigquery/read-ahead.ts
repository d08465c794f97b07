import { warnRecovered } from '../../log.ts';

/** One range of a result, as jobs.getQueryResults answers it; `rows` may be short or absent. */
export interface RangeAnswer<Row> {
  readonly rows?: readonly Row[];
}

/**
 * Asks for `size` rows from `start`; stops, rejecting, once `signal` aborts. It resolves to
 * the answer still unopened (its bytes, say), opened only when the reader reaches it.
 */
export type FetchRange<Row> = (start: number, size: number, signal: AbortSignal) => Promise<() => RangeAnswer<Row>>;

interface Range<Row> {
  readonly start: number;
  readonly size: number;
  readonly answer: Promise<() => RangeAnswer<Row>>;
  /** Set when the answer failed; read by `cancel` for the ranges nobody read. */
  failure?: unknown;
}

/**
 * A finished query's result read by startIndex, `depth` ranges ahead of the reader and
 * handed over in result order, whatever order the answers arrive in. jobs.getQueryResults
 * takes startIndex ("Zero-based index of the starting row") with maxResults, as an
 * alternative to pageToken (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults,
 * "Query parameters"), so the ranges of one result can be asked for in parallel.
 *
 * Memory is bounded: at most `depth` ranges are requested or held at once beyond the page the
 * reader has, each of at most `pageSize` rows (and BigQuery stops a page at about 10 MB), so
 * an export holds at most (1 + depth) pages of its result whatever its length. The pages
 * ahead are held as the answer's bytes and parsed only when the reader takes them: a page of
 * 2,000 `events` rows is 1.9 MB on the wire but 8 MB of objects once parsed, so the default
 * (pagesAhead 2, pageSize 5,000) holds about 9 MB of bytes ahead instead of some 40 MB of
 * objects, in an isolate of 128 MB, and parsed pages die young instead of waiting in the heap. A range that comes back
 * short (the 10 MB cap) is finished before any later range is handed over.
 *
 * A failed range fails the reader once, when it reaches it, and cancels every request still
 * in flight; `cancel` does the same for a reader that stops early.
 *
 * @example
 * const ahead = new ReadAhead(4, 2000, first.rows.length, totalRows, async (start, size, signal) => {
 *   const bytes = await getRange(start, size, signal);
 *   return () => JSON.parse(new TextDecoder().decode(bytes));
 * });
 * try { for (let r; (r = await ahead.next()); ) encode(r.rows); } finally { ahead.cancel(); }
 */
export class ReadAhead<Row> {
  private readonly depth_: number;
  private readonly pageSize_: number;
  private readonly total_: number;
  private readonly fetch_: FetchRange<Row>;
  private readonly controller_ = new AbortController();
  private readonly queue_: Range<Row>[] = [];
  private next_: number;

  constructor(depth: number, pageSize: number, from: number, total: number, fetchRange: FetchRange<Row>) {
    this.depth_ = Math.max(1, Math.floor(depth));
    this.pageSize_ = Math.max(1, Math.floor(pageSize));
    this.total_ = total;
    this.fetch_ = fetchRange;
    this.next_ = from;
    this.fill_();
  }

  /** The next range in result order, or null at the end of the result. */
  async next(): Promise<{ readonly start: number; readonly rows: readonly Row[] } | null> {
    const range = this.queue_.shift();
    if (!range) return null;
    let rows: readonly Row[];
    try {
      rows = (await range.answer)().rows ?? [];
    } catch (err) {
      this.cancel();
      throw err;
    }
    if (rows.length === 0) return { start: range.start, rows };
    if (rows.length < range.size) this.queue_.unshift(this.request_(range.start + rows.length, range.size - rows.length));
    this.fill_();
    return { start: range.start, rows: rows.length > range.size ? rows.slice(0, range.size) : rows };
  }

  /**
   * Aborts every request in flight and asks for no more. A range that had already failed
   * unread is logged as recovered: the reader never saw it, the answer it got stands.
   */
  cancel(): void {
    if (this.controller_.signal.aborted) return;
    for (const range of this.queue_) {
      if (range.failure !== undefined) warnRecovered('bigquery.prefetch_failed', range.failure, { start_index: range.start });
    }
    this.queue_.length = 0;
    this.controller_.abort();
  }

  private fill_(): void {
    while (!this.controller_.signal.aborted && this.queue_.length < this.depth_ && this.next_ < this.total_) {
      const size = Math.min(this.pageSize_, this.total_ - this.next_);
      this.queue_.push(this.request_(this.next_, size));
      this.next_ += size;
    }
  }

  private request_(start: number, size: number): Range<Row> {
    const range: Range<Row> = { start, size, answer: this.fetch_(start, size, this.controller_.signal) };
    // Handled here so a range the reader never awaits is no unhandled rejection; the reader
    // that awaits one still gets its failure.
    range.answer.catch((err: unknown) => {
      range.failure = err;
    });
    return range;
  }
}
