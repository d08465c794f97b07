/**
 * The Try-it form: builds a /rows request from the fields, shows it as curl (which names
 * $ACTIVCONNECT_API_KEY, never the key), sends it with the key and shows the answer. Once a
 * key is entered, GET /v1/views says which views its plan can read, and only those are offered.
 */
import { byId, clear, h } from './dom.ts';
import type { Reference, ViewInfo } from './reference.ts';
import { problemView, showResponse } from './response.ts';
import { shellQuote } from './shell.ts';

const KEY_STORAGE = 'activconnect-bridge.api-key';
/** Wait this long after the last keystroke in the key field before asking /v1/views about it. */
const KEY_SETTLE_MS = 300;

function storedKey(): string {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

function storeKey(key: string): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage blocked: the key stays in the field only.
  }
}

// Readable query strings: commas, colons and stars are safe in a query and easier to read.
const enc = (s: string) => encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2A/g, '*');
const input = (id: string) => byId<HTMLInputElement>(id);
const select = (id: string) => byId<HTMLSelectElement>(id);

export interface TryIt {
  /** Shows `name` in the form, when the key's plan can read it. */
  selectView(name: string): void;
}

export function setupTry(ref: Reference, onPick: (name: string) => void): TryIt {
  const byName = new Map(ref.views.map((v) => [v.name, v]));
  /** The views offered: all of them until a key says which its plan can read. */
  let offered: readonly ViewInfo[] = ref.views;
  const picker = select('try-view');
  const planNote = byId('try-plan');

  const current = (): ViewInfo => byName.get(picker.value) ?? offered[0] ?? ref.views[0]!;

  function fillPicker(): void {
    const keep = picker.value;
    clear(picker);
    for (const v of offered) picker.appendChild(h('option', { value: v.name, text: v.name }));
    if (offered.some((v) => v.name === keep)) picker.value = keep;
    if (picker.value !== keep) onViewChange();
  }

  function operatorsFor(type: string): string[] {
    return ref.operators.filter((o) => !o.types || o.types.includes(type)).map((o) => o.name);
  }

  function addFilter(): HTMLElement {
    const v = current();
    const column = h(
      'select',
      { 'aria-label': 'Filter column', className: 'f-col' },
      v.columns.map((c) => h('option', { value: c.name, text: `${c.name}  (${c.type})` })),
    );
    const op = h('select', { 'aria-label': 'Operator', className: 'f-op' });
    const value = h('input', { 'aria-label': 'Value', className: 'f-val', placeholder: 'value', spellcheck: 'false' });
    const remove = h('button', { type: 'button', className: 'icon', 'aria-label': 'Remove filter', text: '\u00d7' });
    // Each operator and its negation: `not.` in front negates any of them (PostgREST style).
    const fillOps = () => {
      const col = v.columns.find((c) => c.name === column.value);
      const keep = op.value;
      const names = operatorsFor(col ? col.type : 'STRING');
      op.replaceChildren(
        h(
          'optgroup',
          { label: 'operator' },
          names.map((o) => h('option', { value: o, text: o })),
        ),
        h(
          'optgroup',
          { label: 'negated' },
          names.map((o) => h('option', { value: `not.${o}`, text: `not.${o}` })),
        ),
      );
      if (keep) op.value = keep;
      if (!op.value) op.selectedIndex = 0;
    };
    column.addEventListener('change', fillOps);
    fillOps();
    const row = h('div', { className: 'filter-row' }, [column, op, value, remove]);
    remove.addEventListener('click', () => {
      row.remove();
      updateCurl();
    });
    byId('try-filters').appendChild(row);
    return row;
  }

  function requestPath(cursor: string | null): string {
    const v = current();
    const pairs: [string, string][] = [];
    const add = (k: string, raw: string) => {
      const val = raw.trim();
      if (val) pairs.push([k, val]);
    };
    add('select', input('try-select').value);
    for (const row of document.querySelectorAll('#try-filters .filter-row')) {
      const col = row.querySelector<HTMLSelectElement>('.f-col')!.value;
      const val = row.querySelector<HTMLInputElement>('.f-val')!.value;
      // A row the user has not filled in yet is not a filter.
      if (!col || !val) continue;
      pairs.push([col, `${row.querySelector<HTMLSelectElement>('.f-op')!.value}.${val}`]);
    }
    if (v.dateColumn) {
      add('from', input('try-from').value);
      add('to', input('try-to').value);
    }
    add('order', input('try-order').value);
    add('group_by', input('try-group').value);
    add('limit', input('try-limit').value);
    const format = select('try-format').value;
    if (format && format !== 'json') add('format', format);
    if (cursor) add('cursor', cursor);
    const qs = pairs.map(([k, val]) => `${enc(k)}=${enc(val)}`).join('&');
    return `/v1/views/${encodeURIComponent(v.name)}/rows${qs ? `?${qs}` : ''}`;
  }

  // The command names an environment variable, never the key, so it is safe to paste anywhere.
  const curlFor = (path: string) =>
    `curl -sS \\\n  -H "Authorization: Bearer $ACTIVCONNECT_API_KEY" \\\n  ${shellQuote(location.origin + path)}`;
  function updateCurl(path?: string): void {
    byId('try-curl').textContent = curlFor(typeof path === 'string' ? path : requestPath(null));
  }

  function onViewChange(): void {
    const v = current();
    const dated = v.dateColumn !== null;
    byId('try-from-field').hidden = !dated;
    byId('try-to-field').hidden = !dated;
    if (dated) {
      byId('try-from-label').textContent = `from (${v.dateColumn})`;
      byId('try-to-label').textContent = `to (${v.dateColumn})`;
    } else {
      input('try-from').value = '';
      input('try-to').value = '';
    }
    input('try-order').placeholder = `${v.dateColumn ?? v.rowKey[0] ?? 'column'}.desc`;
    clear(byId('try-filters'));
    updateCurl();
  }

  function authHeaders(): Record<string, string> {
    const key = input('try-key').value.trim();
    return key ? { Authorization: `Bearer ${key}` } : {};
  }

  function run(cursor: string | null): void {
    const path = requestPath(cursor);
    updateCurl(path);
    const button = byId<HTMLButtonElement>('try-run');
    button.disabled = true;
    button.textContent = 'Sending\u2026';
    const started = performance.now();
    const box = byId('try-result');
    fetch(path, { headers: authHeaders(), cache: 'no-store' })
      .then(async (res) => showResponse(box, res, await res.text(), Math.round(performance.now() - started), run))
      .catch((err: unknown) => {
        box.replaceChildren(
          problemView({ title: 'The request did not complete', detail: err instanceof Error ? err.message : String(err) }),
        );
      })
      .finally(() => {
        button.disabled = false;
        button.textContent = 'Send request';
      });
  }

  /** Asks GET /v1/views which views the key's plan reads, and offers only those; a key it refuses changes nothing but the note. */
  let asked = 0;
  async function loadReadableViews(): Promise<void> {
    const ask = ++asked;
    const headers = authHeaders();
    if (!headers.Authorization) {
      offered = ref.views;
      planNote.textContent = '';
      fillPicker();
      return;
    }
    let note: string;
    try {
      const res = await fetch('/v1/views', { headers, cache: 'no-store' });
      const body = (await res.json().catch(() => null)) as { plan?: unknown; views?: unknown; detail?: unknown } | null;
      if (ask !== asked) return;
      if (res.ok && body && Array.isArray(body.views)) {
        const names = new Set(
          body.views.map((v: unknown) => (typeof v === 'object' && v !== null ? (v as { name?: unknown }).name : null)),
        );
        offered = ref.views.filter((v) => names.has(v.name));
        const plan = typeof body.plan === 'string' ? (ref.plans.get(body.plan)?.display ?? body.plan) : 'your';
        note = `Your key is on the ${plan} plan: ${offered.length} of ${ref.views.length} views.`;
      } else {
        offered = ref.views;
        note = body && typeof body.detail === 'string' ? body.detail : `GET /v1/views answered ${res.status}.`;
      }
    } catch (err) {
      if (ask !== asked) return;
      offered = ref.views;
      note = `Could not ask which views the key reads: ${err instanceof Error ? err.message : String(err)}`;
    }
    planNote.textContent = note;
    fillPicker();
  }

  fillPicker();
  const format = select('try-format');
  clear(format);
  for (const f of ref.formats) format.appendChild(h('option', { value: f, text: f }));
  if (ref.limitDefault !== null) input('try-limit').placeholder = `default ${ref.limitDefault}`;
  input('try-key').value = storedKey();
  let settle: ReturnType<typeof setTimeout> | undefined;
  input('try-key').addEventListener('input', () => {
    storeKey(input('try-key').value.trim());
    clearTimeout(settle);
    settle = setTimeout(() => void loadReadableViews(), KEY_SETTLE_MS);
  });
  picker.addEventListener('change', () => {
    onViewChange();
    onPick(picker.value);
  });
  byId('try-add-filter').addEventListener('click', () => {
    addFilter();
    updateCurl();
  });
  const form = byId('try-form');
  form.addEventListener('input', () => updateCurl());
  form.addEventListener('change', () => updateCurl());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(null);
  });
  byId('try-copy').addEventListener('click', () => {
    const copy = byId('try-copy');
    void navigator.clipboard?.writeText(byId('try-curl').textContent ?? '').then(
      () => {
        copy.textContent = 'Copied';
        setTimeout(() => (copy.textContent = 'Copy'), 1500);
      },
      () => undefined,
    );
  });
  onViewChange();
  if (input('try-key').value) void loadReadableViews();

  return {
    selectView(name: string): void {
      if (picker.value === name) return;
      if (!offered.some((v) => v.name === name)) {
        const view = byName.get(name);
        if (view) planNote.textContent = `${name} needs a plan your key is not on; the form shows the views it can read.`;
        return;
      }
      picker.value = name;
      onViewChange();
    },
  };
}
