/** An API answer in the Try-it panel: rows as a table, a problem as its title and detail, anything else as text. */
import { h } from './dom.ts';

const MAX_TABLE_ROWS = 500;
const MAX_TEXT = 200_000;

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

function cell(value: unknown): HTMLTableCellElement {
  if (value === null || value === undefined) return h('td', null, [h('span', { className: 'null', text: 'null' })]);
  const text = show(value);
  return h('td', { text, title: text.length > 40 ? text : null });
}

function dataTable(header: readonly unknown[], rows: readonly (readonly unknown[])[]): HTMLElement {
  const shown = rows.slice(0, MAX_TABLE_ROWS);
  const wrap = h('div', { className: 'table-wrap' }, [
    h('table', { className: 'grid data' }, [
      h('thead', null, [
        h(
          'tr',
          null,
          header.map((n) => h('th', { text: show(n) })),
        ),
      ]),
      h(
        'tbody',
        null,
        shown.map((r) => h('tr', null, r.map(cell))),
      ),
    ]),
  ]);
  if (rows.length > shown.length)
    wrap.appendChild(h('div', { className: 'empty', text: `Showing the first ${shown.length} of ${rows.length} rows.` }));
  if (rows.length === 0) wrap.appendChild(h('div', { className: 'empty', text: 'No rows match.' }));
  return wrap;
}

function pageFoot(data: Obj, onNext: (cursor: string) => void): HTMLElement {
  const foot = h('div', { className: 'result-foot' }, [h('span', { text: `${show(data.row_count)} rows` })]);
  const cursor = data.next_cursor;
  if (typeof cursor === 'string' && cursor !== '') {
    const next = h('button', { type: 'button', className: 'secondary', text: 'Next page' });
    next.addEventListener('click', () => onNext(cursor));
    foot.appendChild(next);
  } else {
    foot.appendChild(h('span', { text: 'last page' }));
  }
  return foot;
}

/** An RFC 9457 problem: title and status, the detail, suggestions as chips, the rest as a list. */
export function problemView(p: Obj): HTMLElement {
  const shown = new Set(['type', 'title', 'status', 'detail', 'suggestions']);
  const meta = h('dl', { className: 'problem-meta' });
  for (const [key, value] of Object.entries(p)) {
    if (shown.has(key)) continue;
    meta.append(h('dt', { text: key }), h('dd', { text: show(value) }));
  }
  if (p.type !== undefined) meta.append(h('dt', { text: 'type' }), h('dd', { className: 'mono', text: show(p.type) }));
  const suggestions =
    Array.isArray(p.suggestions) && p.suggestions.length
      ? h('p', { className: 'problem-suggest' }, [
          'Did you mean: ',
          ...p.suggestions.map((s) => h('code', { className: 'chip', text: show(s) })),
        ])
      : null;
  const title = `${typeof p.title === 'string' ? p.title : 'Error'}${p.status !== undefined ? ` (${show(p.status)})` : ''}`;
  return h('div', { className: 'problem', role: 'alert' }, [
    h('div', { className: 'problem-title', text: title }),
    h('p', { className: 'problem-detail', text: p.detail !== undefined ? show(p.detail) : '' }),
    suggestions,
    meta,
  ]);
}

/** Fills `box` with the answer; `onNext` runs the same query from a cursor. */
export function showResponse(box: HTMLElement, res: Response, text: string, ms: number, onNext: (cursor: string) => void): void {
  box.replaceChildren();
  const type = (res.headers.get('content-type') ?? '').toLowerCase();
  const requestId = res.headers.get('x-request-id');
  box.appendChild(
    h('div', { className: 'result-meta' }, [
      h('span', { className: `status ${res.ok ? 'ok' : 'err'}`, text: `${res.status}${res.statusText ? ` ${res.statusText}` : ''}` }),
      h('span', { text: type.split(';')[0] || 'no content type' }),
      h('span', { text: `${ms} ms` }),
      h('span', { text: bytes(text.length) }),
      requestId ? h('span', { className: 'mono', text: `request ${requestId}` }) : null,
    ]),
  );
  let data: unknown = null;
  if (type.includes('json') && !type.includes('ndjson')) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (isObj(data) && type.includes('problem+json')) {
    box.appendChild(problemView(data));
  } else if (isObj(data) && Array.isArray(data.rows) && Array.isArray(data.columns)) {
    const names = data.columns.map((c) => (isObj(c) ? show(c.name) : show(c)));
    box.append(
      dataTable(
        names,
        data.rows.map((r) => names.map((n) => (isObj(r) ? r[n] : undefined))),
      ),
      pageFoot(data, onNext),
    );
  } else if (isObj(data) && Array.isArray(data.values)) {
    const values = data.values.map((r) => (Array.isArray(r) ? (r as unknown[]) : []));
    box.append(dataTable(values[0] ?? [], values.slice(1)), pageFoot(data, onNext));
  } else if (data !== null) {
    box.appendChild(h('pre', { text: JSON.stringify(data, null, 2) }));
  } else {
    box.appendChild(
      h('pre', { text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}\n\u2026 (${bytes(text.length)} in all)` : text }),
    );
  }
}
