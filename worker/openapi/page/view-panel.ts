/** The reference side of the page: the overview, the view list, and one view's facts and columns. */
import { byId, clear, h } from './dom.ts';
import { inline, markdown } from './markdown.ts';
import type { Reference, ViewInfo } from './reference.ts';

const planClass = (id: string) => `plan plan-${id.replace(/[^a-z_]/g, '')}`;

function planLabel(ref: Reference, id: string): string {
  return ref.plans.get(id)?.label ?? id;
}

function planBadge(ref: Reference, id: string): HTMLElement {
  return h('span', { className: planClass(id), text: planLabel(ref, id), title: ref.plans.get(id)?.display ?? null });
}

export function renderOverview(ref: Reference): void {
  const overview = byId('overview');
  clear(overview);
  overview.appendChild(h('h1', { text: ref.title }));
  if (ref.summary) overview.appendChild(h('p', { text: ref.summary }));
  overview.appendChild(markdown(ref.description));
  byId('api-version').textContent = `v${ref.version}`;
}

export function renderNav(ref: Reference): void {
  const list = byId('view-list');
  clear(list);
  for (const v of ref.views) {
    list.appendChild(
      h('li', null, [
        h('a', { href: `#/views/${encodeURIComponent(v.name)}`, 'data-view': v.name }, [
          h('span', { className: 'name', text: v.name, title: v.name }),
          h('span', { className: 'count', text: String(v.columns.length), title: `${v.columns.length} columns` }),
        ]),
      ]),
    );
  }
}

function markActive(name: string | null): void {
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#view-list a'))
    a.classList.toggle('active', a.getAttribute('data-view') === name);
}

export function showOverview(): void {
  byId('overview').hidden = false;
  byId('view-panel').hidden = true;
  markActive(null);
}

/** Narrows the column table to rows whose name, type, plan or description holds the search text. */
export function filterColumns(): void {
  const q = byId<HTMLInputElement>('column-search').value.trim().toLowerCase();
  const rows = document.querySelectorAll<HTMLTableRowElement>('#columns tbody tr[data-search]');
  let shown = 0;
  for (const tr of rows) {
    const hit = !q || (tr.getAttribute('data-search') ?? '').includes(q);
    tr.hidden = !hit;
    if (hit) shown++;
  }
  byId('columns-empty').hidden = shown > 0;
  byId('column-count').textContent = q ? `${shown} of ${rows.length} columns` : `${rows.length} columns`;
}

export function showView(ref: Reference, v: ViewInfo): void {
  byId('overview').hidden = true;
  byId('view-panel').hidden = false;
  markActive(v.name);
  byId('view-title').textContent = v.name;
  const plan = byId('view-plan');
  plan.textContent = `from ${planLabel(ref, v.minPlan)}`;
  plan.className = planClass(v.minPlan);
  byId('view-description').replaceChildren(...inline(v.description));

  const facts = byId('view-facts');
  clear(facts);
  const fact = (label: string, value: readonly (Node | string)[]) => facts.append(h('dt', { text: label }), h('dd', null, value));
  fact('Date column', v.dateColumn ? [h('code', { text: v.dateColumn }), ' (filter with from / to)'] : ['none; filter a column instead']);
  fact(
    'Row key',
    v.rowKey.flatMap((k, i) => (i ? [', ', h('code', { text: k })] : [h('code', { text: k })])),
  );
  if (v.changeColumn) fact('Change column', [h('code', { text: v.changeColumn })]);
  if (v.freshness) fact('Freshness', [`${v.freshness.kind}: ${v.freshness.why}`]);

  const endpoints = byId('view-endpoints');
  clear(endpoints);
  const base = `/v1/views/${v.name}`;
  const list: [string, string][] = [
    ['GET', `${base}/rows`],
    ['POST', `${base}/query`],
    ['GET', base],
  ];
  if (v.changeColumn) list.push(['GET', `${base}/changes`]);
  for (const [method, path] of list) {
    endpoints.appendChild(
      h('span', { className: 'endpoint mono' }, [h('span', { className: `method ${method.toLowerCase()}`, text: method }), path]),
    );
  }

  const body = document.querySelector('#columns tbody')!;
  clear(body);
  for (const c of v.columns) {
    const tr = h(
      'tr',
      { 'data-search': [c.name, c.type, planLabel(ref, c.plan), c.description.replaceAll('`', '')].join(' ').toLowerCase() },
      [
        h('td', { className: 'name' }, [c.name, c.record ? h('span', { className: 'record', text: `in record ${c.record}` }) : null]),
        h('td', { className: 'type', text: c.type }),
        h('td', null, [planBadge(ref, c.plan)]),
        h('td', null, inline(c.description)),
      ],
    );
    body.appendChild(tr);
  }
  body.appendChild(
    h('tr', { id: 'columns-empty', hidden: true }, [h('td', { className: 'empty', colspan: 4, text: 'No column matches.' })]),
  );
  byId<HTMLInputElement>('column-search').value = '';
  filterColumns();
}
