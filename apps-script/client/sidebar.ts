import type { ViewColumn } from '../api/client.ts';
import type { Every, Mode } from '../refresh/store.ts';
import type { InsertRequest } from '../refresh/insert.ts';
import type { RangeInfo, SidebarState } from '../ui/sidebar.ts';
import { byId, h, option, type El } from './dom.ts';
import { call } from './server.ts';

type Panel = 'connect' | 'insert' | 'schedules';
const NEW_SHEET = '\u0000new';

let state: SidebarState | null = null;
let columns: readonly ViewColumn[] = [];

function say(text: string, kind: 'ok' | 'error' | '' = ''): void {
  const message = byId('message');
  message.textContent = text;
  message.className = kind;
}

/** Disables the buttons while a call runs: a second click would insert the view twice. */
async function busy<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
  const buttons = Array.from(document().querySelectorAll('button'));
  buttons.forEach((b) => (b.disabled = true));
  say(label);
  try {
    return await work();
  } catch (err) {
    say(err instanceof Error ? err.message : String(err), 'error');
    return undefined;
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

let continuing = false;

/**
 * Carries on with refreshes that ran out of time, one server call at a time, while the
 * sidebar is open: an add-on may hold no second timer in a document, so without this a long
 * load would wait for the hourly trigger. Closing the sidebar stops the loop; the hourly
 * trigger then finishes the work.
 */
async function continueLoading(): Promise<void> {
  if (continuing) return;
  continuing = true;
  try {
    for (;;) {
      const result = await call('sidebarContinue');
      say(result.message, result.pending > 0 ? '' : 'ok');
      if (!byId('panel-schedules').hidden) renderRanges(result.ranges);
      if (result.pending === 0) return;
    }
  } catch (err) {
    say(err instanceof Error ? err.message : String(err), 'error');
  } finally {
    continuing = false;
  }
}

function document(): El {
  return (globalThis as unknown as { document: { body: El } }).document.body;
}

function show(panel: Panel): void {
  for (const p of ['connect', 'insert', 'schedules'] as const) {
    byId(`panel-${p}`).hidden = p !== panel;
    byId(`tab-${p}`).classList.toggle('active', p === panel);
  }
  if (panel === 'schedules') void loadRanges();
}

function renderState(next: SidebarState): void {
  state = next;
  byId('connect-status').textContent = next.connected
    ? `Connected to ${next.url} with key ${next.keyHint}${next.plan ? ` (plan: ${next.plan})` : ''}.`
    : 'Not connected. Enter the API address and key your administrator gave you.';
  byId('api-url').value = next.url || byId('api-url').value;
  byId('disconnect').hidden = !next.connected;
  if (next.error) say(next.error, 'error');

  const view = byId('view');
  const current = view.value;
  view.replaceChildren(...next.views.map((v) => option(v.name, v.name, v.name === current)));
  const target = byId('target');
  target.replaceChildren(option(NEW_SHEET, 'a new sheet'), ...next.sheets.map((s) => option(s, `sheet "${s}"`)));
  byId('cell').value = next.activeCell || 'A1';
  byId('at-hour').replaceChildren(...Array.from({ length: 24 }, (_, i) => option(String(i), `${String(i).padStart(2, '0')}:00`, i === 6)));
  onTargetChange();
}

function selectedView() {
  return state?.views.find((v) => v.name === byId('view').value) ?? null;
}

async function onViewChange(): Promise<void> {
  const view = selectedView();
  byId('view-description').textContent = view?.description ?? '';
  byId('dates').hidden = !view?.dateColumn;
  byId('preview-table').replaceChildren();
  if (!view) return;
  const loaded = await busy(`Loading the columns of ${view.name}…`, () => call('sidebarColumns', view.name));
  // Picked another view meanwhile: this answer is for the old one.
  if (!loaded || byId('view').value !== view.name) return;
  columns = loaded;
  byId('columns').replaceChildren(
    ...columns.map((c) =>
      h(
        'label',
        { className: c.readable ? '' : 'locked', title: c.readable ? c.description : `Needs the ${c.min_plan} plan. ${c.description}` },
        h('input', { type: 'checkbox', value: c.name, disabled: !c.readable, data: { column: c.name } }),
        ` ${c.name} `,
        h('span', { className: 'hint' }, c.type),
      ),
    ),
  );
  say('');
}

function onTargetChange(): void {
  byId('cell').disabled = byId('target').value === NEW_SHEET;
}

function request(): InsertRequest {
  const ticked = Array.from(byId('columns').querySelectorAll('input[type=checkbox]'))
    .filter((c) => c.checked)
    .map((c) => c.value);
  const target = byId('target').value;
  const limit = byId('limit').value.trim();
  const view = selectedView();
  return {
    view: byId('view').value,
    columns: ticked,
    ...(view?.dateColumn && byId('from').value ? { from: byId('from').value } : {}),
    ...(view?.dateColumn && byId('to').value ? { to: byId('to').value } : {}),
    filters: byId('filters').value,
    order: byId('order').value.trim(),
    ...(limit ? { limit: Number(limit) } : {}),
    target:
      target === NEW_SHEET ? { kind: 'new', name: byId('view').value } : { kind: 'existing', sheet: target, cell: byId('cell').value },
    mode: byId('mode').value as Mode,
    every: byId('every').value as Every,
    atHour: Number(byId('at-hour').value),
    durations: byId('hms').checked ? 'hms' : 'seconds',
  };
}

async function onPreview(): Promise<void> {
  const preview = await busy('Loading a preview…', () => call('sidebarPreview', request()));
  if (!preview) return;
  const table = h(
    'table',
    {},
    h('tr', {}, ...preview.header.map((name) => h('th', {}, name))),
    ...preview.rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell === null ? '' : String(cell))))),
  );
  byId('preview-table').replaceChildren(table);
  const added = preview.added.length > 0 ? ` The refresh mode adds ${preview.added.join(', ')}.` : '';
  say(`${preview.rows.length} rows shown${preview.more ? ', more when inserted' : ''}.${added}`, 'ok');
}

async function onInsert(): Promise<void> {
  const result = await busy('Inserting… large views can take a few minutes.', () => call('sidebarInsert', request()));
  if (!result) return;
  const where = `${result.sheet}!${result.cell}`;
  say(
    result.result === 'continued'
      ? `Inserted the first ${result.rows} rows at ${where}; the rest is loading while this sidebar stays open.`
      : `Inserted ${result.rows} rows at ${where}.`,
    'ok',
  );
  renderState(await call('sidebarState'));
  if (result.result === 'continued') await continueLoading();
}

async function onConnect(): Promise<void> {
  const next = await busy('Checking the address and key…', () => call('sidebarConnect', byId('api-url').value, byId('api-key').value));
  if (!next) return;
  byId('api-key').value = '';
  renderState(next);
  show('insert');
  await onViewChange();
  say(`Connected. Your key reads ${next.views.length} views.`, 'ok');
}

async function onDisconnect(): Promise<void> {
  const next = await busy('Disconnecting…', () => call('sidebarDisconnect'));
  if (next) {
    renderState(next);
    say('Disconnected.', 'ok');
  }
}

function rangeCard(range: RangeInfo): El {
  const mode = h('select', { data: { field: 'mode' } });
  mode.replaceChildren(...(['replace', 'append', 'merge'] as const).map((m) => option(m, m, m === range.mode)));
  const every = h('select', { data: { field: 'every' } });
  every.replaceChildren(
    ...(['off', 'hour', 'day'] as const).map((e) => option(e, e === 'off' ? 'manual only' : `every ${e}`, e === range.every)),
  );
  const hour = h('select', { data: { field: 'hour' } });
  hour.replaceChildren(...Array.from({ length: 24 }, (_, i) => option(String(i), `${String(i).padStart(2, '0')}:00`, i === range.atHour)));
  // The hour only means something for a daily refresh.
  hour.hidden = range.every !== 'day';
  every.addEventListener('change', () => (hour.hidden = every.value !== 'day'));
  const save = h('button', { type: 'button', className: 'secondary' }, 'Save');
  const refresh = h('button', { type: 'button', className: 'secondary' }, 'Refresh');
  const remove = h('button', { type: 'button', className: 'secondary' }, 'Remove');
  save.addEventListener(
    'click',
    () =>
      void busy('Saving…', () =>
        call('sidebarUpdateRange', range.id, { mode: mode.value as Mode, every: every.value as Every, atHour: Number(hour.value) }),
      ).then((list) => list && (renderRanges(list), say('Saved.', 'ok'))),
  );
  refresh.addEventListener(
    'click',
    () =>
      void busy('Refreshing…', () => call('sidebarRefreshRange', range.id)).then((list) => {
        if (!list) return;
        renderRanges(list);
        say('Refreshed.', 'ok');
        if (list.some((r) => r.inProgress)) void continueLoading();
      }),
  );
  remove.addEventListener(
    'click',
    () =>
      void busy('Removing…', () => call('sidebarRemoveRange', range.id)).then(
        (list) => list && (renderRanges(list), say('Removed; the data stays in the sheet.', 'ok')),
      ),
  );
  const last = range.lastRun ? `Last: ${range.lastRun} (${range.lastResult})` : 'Not refreshed yet';
  return h(
    'div',
    { className: 'range', data: { range: range.id } },
    h('div', {}, h('b', {}, `${range.sheet}!${range.cell}`), ` ${range.view}, ${range.rows} rows`),
    h('div', { className: 'hint' }, `${last}${range.next ? ` · next ${range.next}` : ''}${range.inProgress ? ' · in progress' : ''}`),
    range.error ? h('div', { className: 'error' }, range.error) : null,
    h('div', { className: 'row' }, mode, every, hour),
    h('div', { className: 'actions' }, save, refresh, remove),
  );
}

function renderRanges(list: readonly RangeInfo[]): void {
  byId('ranges').replaceChildren(
    ...(list.length > 0 ? list.map(rangeCard) : [h('p', { className: 'hint' }, 'No saved ranges yet. Insert a view first.')]),
  );
}

async function loadRanges(): Promise<void> {
  const list = await busy('Loading saved ranges…', () => call('sidebarRanges'));
  if (list) {
    renderRanges(list);
    say('');
    if (list.some((r) => r.inProgress)) void continueLoading();
  }
}

async function start(): Promise<void> {
  for (const p of ['connect', 'insert', 'schedules'] as const) byId(`tab-${p}`).addEventListener('click', () => show(p));
  byId('view').addEventListener('change', () => void onViewChange());
  byId('target').addEventListener('change', onTargetChange);
  byId('every').addEventListener('change', () => (byId('at-hour-row').hidden = byId('every').value !== 'day'));
  byId('preview').addEventListener('click', () => void onPreview());
  byId('insert').addEventListener('click', () => void onInsert());
  byId('connect').addEventListener('click', () => void onConnect());
  byId('disconnect').addEventListener('click', () => void onDisconnect());

  const loaded = await busy('Loading…', () => call('sidebarState'));
  if (!loaded) return;
  renderState(loaded);
  say('');
  const wanted = (globalThis as unknown as { ACTIVTRAK_PANEL?: Panel }).ACTIVTRAK_PANEL ?? 'insert';
  show(loaded.connected ? wanted : 'connect');
  if (loaded.connected && loaded.views.length > 0) await onViewChange();
}

void start();
