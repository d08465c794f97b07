/**
 * The /docs page: one self-contained HTML document that reads /openapi.json and renders the
 * reference and a "Try it" panel. Everything is inline (no CDN, font or script from
 * elsewhere) so it works offline and under a CSP that allows only these exact bytes: the
 * route hashes DOCS_STYLE and DOCS_SCRIPT with docsContentSecurityPolicy().
 *
 * The script is a String.raw literal so its backslashes reach the browser unchanged; it
 * therefore avoids backticks and dollar-brace (written \x60 where a backtick is needed).
 * Data from the document or a response only ever reaches the DOM as textContent.
 */

export const DOCS_STYLE = String.raw`
:root {
  --bg: #f6f7f9; --panel: #ffffff; --text: #1c2230; --muted: #5d6679; --border: #e1e5ec;
  --accent: #3451d1; --accent-soft: #eef1fd; --code: #f0f2f6; --ok: #1f7a3d; --err: #b42323;
  --err-soft: #fdf1f1; --shadow: 0 1px 2px rgba(16, 24, 40, .06);
  --p-essentials: #2f6f9f; --p-essentials_plus: #0f7b6c; --p-professional: #7343c9;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151c; --panel: #1a1e27; --text: #e4e7ee; --muted: #9aa3b5; --border: #2b313e;
    --accent: #8ea2ff; --accent-soft: #232a44; --code: #232833; --ok: #5cc98a; --err: #ff8c8c;
    --err-soft: #2e1c1f; --shadow: none;
    --p-essentials: #77b4e6; --p-essentials_plus: #4cc9b5; --p-professional: #b89cff;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { scroll-padding-top: 72px; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .86em; }
code { background: var(--code); padding: .08em .35em; border-radius: 4px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.topbar { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 14px;
  padding: 12px 24px; background: var(--panel); border-bottom: 1px solid var(--border); }
.brand { font-weight: 650; font-size: 16px; color: var(--text); }
.brand span { color: var(--muted); font-weight: 450; }
.toplinks { margin-left: auto; display: flex; gap: 18px; font-size: 14px; }
.pill { font-size: 12px; padding: 2px 8px; border-radius: 999px; background: var(--accent-soft); color: var(--accent); }
.layout { display: grid; grid-template-columns: 280px minmax(0, 1fr); min-height: calc(100vh - 50px); }
.sidebar { position: sticky; top: 50px; align-self: start; height: calc(100vh - 50px); overflow: auto;
  padding: 18px 12px; border-right: 1px solid var(--border); background: var(--panel); }
.sidebar .nav-link { display: block; padding: 6px 10px; border-radius: 6px; color: var(--text); font-weight: 550; }
.nav-heading { margin: 18px 10px 6px; font-size: 11px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
.view-list { list-style: none; margin: 0; padding: 0; }
.view-list a { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 6px 10px;
  border-radius: 6px; color: var(--text); font-size: 14px; }
.view-list a:hover, .sidebar .nav-link:hover { background: var(--bg); text-decoration: none; }
.view-list a.active { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.view-list .name { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.view-list .count { font-size: 12px; color: var(--muted); }
main { padding: 24px 32px 64px; max-width: 1180px; width: 100%; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 20px 24px;
  margin-bottom: 20px; box-shadow: var(--shadow); }
h1, h2, h3 { line-height: 1.25; margin: 0 0 10px; }
h1 { font-size: 24px; }
h2 { font-size: 18px; }
.prose h2 { margin-top: 22px; font-size: 17px; }
.prose h1 + p { color: var(--muted); }
.prose p, .prose ul { margin: 0 0 10px; max-width: 78ch; }
.view-head { display: flex; align-items: center; gap: 12px; }
.view-head h1 { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 22px; }
.lede { color: var(--muted); margin: 8px 0 14px; max-width: 80ch; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 14px; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.endpoints { display: flex; flex-wrap: wrap; gap: 8px; }
.endpoint { display: inline-flex; gap: 8px; align-items: center; padding: 5px 10px; border: 1px solid var(--border);
  border-radius: 6px; background: var(--bg); font-size: 13px; }
.method { font-weight: 700; font-size: 11px; letter-spacing: .04em; color: var(--ok); }
.method.post { color: var(--accent); }
.plan { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 999px;
  border: 1px solid currentColor; white-space: nowrap; }
.plan-essentials { color: var(--p-essentials); }
.plan-essentials_plus { color: var(--p-essentials_plus); }
.plan-professional { color: var(--p-professional); }
.card-head { display: flex; align-items: center; gap: 14px; margin-bottom: 12px; flex-wrap: wrap; }
.card-head h2 { margin: 0; }
.card-head .muted { font-size: 13px; }
.muted { color: var(--muted); }
input, select, button { font: inherit; color: inherit; }
input, select { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 7px 9px; min-width: 0; }
input:focus, select:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
#column-search { flex: 1; max-width: 360px; }
.table-wrap { overflow: auto; border: 1px solid var(--border); border-radius: 8px; }
table.grid { border-collapse: collapse; width: 100%; font-size: 14px; }
.grid th { position: sticky; top: 0; background: var(--bg); text-align: left; font-weight: 600; font-size: 12px;
  color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.grid th, .grid td { padding: 8px 12px; border-bottom: 1px solid var(--border); vertical-align: top; }
.grid tbody tr:last-child td { border-bottom: 0; }
.grid.data th { text-transform: none; letter-spacing: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.grid td.name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; white-space: nowrap; }
.grid td.type { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); }
.grid .record { display: block; font-size: 11px; color: var(--muted); }
.empty { padding: 14px; color: var(--muted); }
.try h2 { margin-bottom: 14px; }
.fields { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px 14px; }
.field { display: flex; flex-direction: column; gap: 4px; font-size: 12px; font-weight: 600; color: var(--muted); }
.field.wide { grid-column: span 2; }
.field input, .field select { font-weight: 400; font-size: 14px; color: var(--text); }
.filters { border: 1px dashed var(--border); border-radius: 8px; margin: 14px 0 0; padding: 10px 12px 12px; }
.filters legend { font-size: 12px; font-weight: 600; color: var(--muted); padding: 0 4px; }
.filter-row { display: grid; grid-template-columns: minmax(0, 2fr) auto minmax(0, 1fr) minmax(0, 2fr) auto; gap: 8px;
  align-items: center; margin-bottom: 8px; }
.filter-row label { font-size: 13px; color: var(--muted); display: flex; gap: 4px; align-items: center; }
button { cursor: pointer; border-radius: 6px; border: 1px solid transparent; padding: 8px 16px; }
button.primary { background: var(--accent); color: #fff; font-weight: 600; }
button.primary:disabled { opacity: .6; cursor: progress; }
button.secondary { background: transparent; border-color: var(--border); padding: 5px 10px; font-size: 13px; }
button.icon { background: transparent; border-color: var(--border); padding: 4px 10px; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); font-size: 13px; }
.actions { display: flex; align-items: center; gap: 12px; margin-top: 14px; }
.hint { font-size: 13px; color: var(--muted); }
.curl { margin-top: 16px; border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
.curl-head { display: flex; justify-content: space-between; padding: 6px 12px; background: var(--bg);
  border-bottom: 1px solid var(--border); font-size: 12px; color: var(--muted); font-weight: 600; }
pre { margin: 0; padding: 12px; overflow: auto; white-space: pre; background: var(--code); }
.curl pre { background: var(--panel); white-space: pre-wrap; overflow-wrap: anywhere; }
.result { margin-top: 16px; }
.result-meta { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; font-size: 13px; color: var(--muted); margin-bottom: 10px; }
.status { font-weight: 700; padding: 2px 8px; border-radius: 6px; }
.status.ok { color: var(--ok); background: color-mix(in srgb, var(--ok) 12%, transparent); }
.status.err { color: var(--err); background: var(--err-soft); }
.result .table-wrap { max-height: 460px; }
.result td { white-space: nowrap; max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
.null { color: var(--muted); font-style: italic; }
.result-foot { display: flex; gap: 14px; align-items: center; margin-top: 10px; font-size: 13px; color: var(--muted); }
.problem { border: 1px solid color-mix(in srgb, var(--err) 35%, transparent); background: var(--err-soft);
  border-radius: 8px; padding: 14px 16px; }
.problem-title { font-weight: 700; color: var(--err); margin-bottom: 4px; }
.problem-detail { margin: 0 0 8px; font-size: 15px; }
.problem-meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; font-size: 12px; color: var(--muted); }
.problem-meta dd { margin: 0; word-break: break-all; }
.chip { display: inline-block; margin: 0 6px 0 0; }
.notice { padding: 12px 16px; border-radius: 8px; margin-bottom: 20px; background: var(--accent-soft); }
.notice.error { background: var(--err-soft); color: var(--err); }
@media (max-width: 900px) {
  .layout { grid-template-columns: 1fr; }
  .sidebar { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--border); }
  .fields { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  main { padding: 16px; }
}
`;

export const DOCS_SCRIPT = String.raw`
(function () {
  'use strict';
  var KEY_STORAGE = 'activconnect-bridge.api-key';
  var TICK = '\x60';
  var MAX_TABLE_ROWS = 500;
  var MAX_TEXT = 200000;
  var state = { views: [], byName: {}, plans: {}, operators: [], formats: [], limitDefault: null, current: null };

  function $(id) { return document.getElementById(id); }

  /** Builds an element; strings become text nodes, so data is never parsed as HTML. */
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') node.textContent = String(v);
        else if (k === 'className') node.className = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function planClass(id) { return 'plan plan-' + String(id || '').replace(/[^a-z_]/g, ''); }
  function planLabel(id) { var p = state.plans[id]; return p ? p.label : String(id || ''); }
  function planBadge(id) {
    var p = state.plans[id];
    return h('span', { className: planClass(id), text: planLabel(id), title: p ? p.display : null });
  }

  // A little Markdown, enough for the document's description: headings, paragraphs,
  // bullet lists, pipe tables and code spans.
  function inline(text) {
    var parts = String(text).split(new RegExp('(' + TICK + '[^' + TICK + ']+' + TICK + ')'));
    return parts.filter(Boolean).map(function (p) {
      if (p.length > 1 && p.charAt(0) === TICK && p.charAt(p.length - 1) === TICK) return h('code', { text: p.slice(1, -1) });
      return document.createTextNode(p);
    });
  }
  function cells(line) { return line.replace(/^\||\|$/g, '').split('|').map(function (s) { return s.trim(); }); }
  function markdown(md) {
    var frag = document.createDocumentFragment();
    String(md || '').split(/\n{2,}/).forEach(function (block) {
      var lines = block.split('\n');
      if (/^#{1,3} /.test(block)) {
        frag.appendChild(h('h2', null, inline(block.replace(/^#+ /, ''))));
      } else if (lines.every(function (l) { return l.indexOf('- ') === 0; })) {
        frag.appendChild(h('ul', null, lines.map(function (l) { return h('li', null, inline(l.slice(2))); })));
      } else if (lines.length > 2 && lines.every(function (l) { return l.charAt(0) === '|'; })) {
        var head = cells(lines[0]);
        var rows = lines.slice(2).map(cells);
        frag.appendChild(h('div', { className: 'table-wrap' }, [h('table', { className: 'grid' }, [
          h('thead', null, [h('tr', null, head.map(function (c) { return h('th', null, inline(c)); }))]),
          h('tbody', null, rows.map(function (r) { return h('tr', null, r.map(function (c) { return h('td', null, inline(c)); })); })),
        ])]));
      } else {
        frag.appendChild(h('p', null, inline(block)));
      }
    });
    return frag;
  }

  function notice(text, isError) {
    var n = $('status');
    n.textContent = text;
    n.className = 'notice' + (isError ? ' error' : '');
    n.hidden = false;
  }

  // ---- Loading the document ------------------------------------------------------------

  function init(doc) {
    var schemas = (doc.components && doc.components.schemas) || {};
    var params = (doc.components && doc.components.parameters) || {};
    $('api-version').textContent = 'v' + (doc.info && doc.info.version);
    (doc['x-plans'] || []).forEach(function (p) { state.plans[p.id] = p; });
    state.operators = doc['x-filter-operators'] || [];
    state.formats = (params.format && params.format.schema && params.format.schema.enum) || ['json'];
    state.limitDefault = params.limit && params.limit.schema ? params.limit.schema.default : null;
    state.views = (doc.tags || []).filter(function (t) { return t['x-view']; }).map(function (t) {
      var props = (schemas[t.name + 'Row'] || {}).properties || {};
      return {
        name: t.name,
        description: t.description || '',
        minPlan: t['x-min-plan'],
        dateColumn: t['x-date-column'] || null,
        rowKey: t['x-row-key'] || [],
        changeColumn: t['x-change-column'] || null,
        freshness: t['x-freshness'] || null,
        columns: Object.keys(props).map(function (name) {
          var s = props[name];
          return { name: name, type: s['x-bigquery-type'] || String(s.type), plan: s['x-min-plan'], description: s.description || '', record: s['x-record'] || null };
        }),
      };
    });
    state.views.forEach(function (v) { state.byName[v.name] = v; });

    var overview = $('overview');
    clear(overview);
    overview.appendChild(h('h1', { text: doc.info.title }));
    if (doc.info.summary) overview.appendChild(h('p', { text: doc.info.summary }));
    overview.appendChild(markdown(doc.info.description));

    renderNav();
    setupTry();
    route();
  }

  function renderNav() {
    var list = $('view-list');
    clear(list);
    state.views.forEach(function (v) {
      list.appendChild(h('li', null, [h('a', { href: '#/views/' + encodeURIComponent(v.name), 'data-view': v.name }, [
        h('span', { className: 'name', text: v.name, title: v.name }),
        h('span', { className: 'count', text: String(v.columns.length), title: v.columns.length + ' columns' }),
      ])]));
    });
  }

  function route() {
    var m = /^#\/views\/(.+)$/.exec(location.hash);
    var name = m ? decodeURIComponent(m[1]) : null;
    if (name && state.byName[name]) showView(state.byName[name]);
    else if (!m && (location.hash === '' || location.hash === '#' || location.hash === '#/')) showOverview();
  }

  function showOverview() {
    state.current = null;
    $('overview').hidden = false;
    $('view-panel').hidden = true;
    markActive(null);
  }

  function markActive(name) {
    Array.prototype.forEach.call(document.querySelectorAll('#view-list a'), function (a) {
      a.classList.toggle('active', a.getAttribute('data-view') === name);
    });
  }

  // ---- A view's reference --------------------------------------------------------------

  function showView(v) {
    state.current = v;
    $('overview').hidden = true;
    $('view-panel').hidden = false;
    markActive(v.name);
    $('view-title').textContent = v.name;
    var plan = $('view-plan');
    plan.textContent = 'from ' + planLabel(v.minPlan);
    plan.className = planClass(v.minPlan);
    $('view-description').textContent = v.description;

    var facts = $('view-facts');
    clear(facts);
    function fact(label, value) { facts.appendChild(h('dt', { text: label })); facts.appendChild(h('dd', null, value)); }
    fact('Date column', v.dateColumn ? [h('code', { text: v.dateColumn }), ' (filter with from / to)'] : ['none; filter a column instead']);
    fact('Row key', v.rowKey.reduce(function (out, k, i) { if (i) out.push(', '); out.push(h('code', { text: k })); return out; }, []));
    if (v.changeColumn) fact('Change column', [h('code', { text: v.changeColumn })]);
    if (v.freshness) fact('Freshness', [v.freshness.kind + ': ' + (v.freshness.why || '')]);

    var ep = $('view-endpoints');
    clear(ep);
    var endpoints = [['GET', '/v1/views/' + v.name + '/rows'], ['POST', '/v1/views/' + v.name + '/query'], ['GET', '/v1/views/' + v.name]];
    if (v.changeColumn) endpoints.push(['GET', '/v1/views/' + v.name + '/changes']);
    endpoints.forEach(function (e) {
      ep.appendChild(h('span', { className: 'endpoint mono' }, [h('span', { className: 'method ' + e[0].toLowerCase(), text: e[0] }), e[1]]));
    });

    var body = document.querySelector('#columns tbody');
    clear(body);
    v.columns.forEach(function (c) {
      var tr = h('tr', null, [
        h('td', { className: 'name' }, [c.name, c.record ? h('span', { className: 'record', text: 'in record ' + c.record }) : null]),
        h('td', { className: 'type', text: c.type }),
        h('td', null, [planBadge(c.plan)]),
        h('td', { text: c.description }),
      ]);
      tr.setAttribute('data-search', [c.name, c.type, planLabel(c.plan), c.description].join(' ').toLowerCase());
      body.appendChild(tr);
    });
    body.appendChild(h('tr', { id: 'columns-empty', hidden: true }, [h('td', { className: 'empty', colspan: 4, text: 'No column matches.' })]));
    $('column-search').value = '';
    filterColumns();
    if ($('try-view').value !== v.name) { $('try-view').value = v.name; onTryViewChange(); }
  }

  function filterColumns() {
    var q = $('column-search').value.trim().toLowerCase();
    var rows = document.querySelectorAll('#columns tbody tr[data-search]');
    var shown = 0;
    Array.prototype.forEach.call(rows, function (tr) {
      var hit = !q || tr.getAttribute('data-search').indexOf(q) !== -1;
      tr.hidden = !hit;
      if (hit) shown++;
    });
    $('columns-empty').hidden = shown > 0;
    $('column-count').textContent = q ? shown + ' of ' + rows.length + ' columns' : rows.length + ' columns';
  }

  // ---- Try it --------------------------------------------------------------------------

  function storedKey() { try { return sessionStorage.getItem(KEY_STORAGE) || ''; } catch (e) { return ''; } }
  function storeKey(key) { try { if (key) sessionStorage.setItem(KEY_STORAGE, key); else sessionStorage.removeItem(KEY_STORAGE); } catch (e) { /* storage blocked: keep it in the field only */ } }

  function setupTry() {
    var picker = $('try-view');
    clear(picker);
    state.views.forEach(function (v) { picker.appendChild(h('option', { value: v.name, text: v.name })); });
    var format = $('try-format');
    clear(format);
    state.formats.forEach(function (f) { format.appendChild(h('option', { value: f, text: f })); });
    if (state.limitDefault !== null) $('try-limit').placeholder = 'default ' + state.limitDefault;
    $('try-key').value = storedKey();
    $('try-key').addEventListener('input', function () { storeKey($('try-key').value.trim()); });
    picker.addEventListener('change', function () {
      onTryViewChange();
      if (!state.current || state.current.name !== picker.value) location.hash = '#/views/' + encodeURIComponent(picker.value);
    });
    $('try-add-filter').addEventListener('click', function () { addFilter(); updateCurl(); });
    $('try-form').addEventListener('input', updateCurl);
    $('try-form').addEventListener('change', updateCurl);
    $('try-form').addEventListener('submit', function (e) { e.preventDefault(); run(null); });
    $('try-copy').addEventListener('click', function () {
      var text = $('try-curl').textContent;
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () { $('try-copy').textContent = 'Copied'; setTimeout(function () { $('try-copy').textContent = 'Copy'; }, 1500); }, function () {});
    });
    onTryViewChange();
  }

  function tryView() { return state.byName[$('try-view').value] || state.views[0]; }

  function onTryViewChange() {
    var v = tryView();
    if (!v) return;
    var dated = !!v.dateColumn;
    $('try-from-field').hidden = !dated;
    $('try-to-field').hidden = !dated;
    if (dated) {
      $('try-from-label').textContent = 'from (' + v.dateColumn + ')';
      $('try-to-label').textContent = 'to (' + v.dateColumn + ')';
    } else {
      $('try-from').value = '';
      $('try-to').value = '';
    }
    $('try-order').placeholder = (v.dateColumn || v.rowKey[0] || 'column') + '.desc';
    clear($('try-filters'));
    updateCurl();
  }

  function operatorsFor(type) {
    return state.operators.filter(function (o) { return !o.types || o.types.indexOf(type) !== -1; }).map(function (o) { return o.name; });
  }

  function addFilter() {
    var v = tryView();
    var column = h('select', { 'aria-label': 'Filter column', className: 'f-col' }, v.columns.map(function (c) {
      return h('option', { value: c.name, text: c.name + '  (' + c.type + ')' });
    }));
    var op = h('select', { 'aria-label': 'Operator', className: 'f-op' });
    var not = h('input', { type: 'checkbox', className: 'f-not' });
    var value = h('input', { 'aria-label': 'Value', className: 'f-val', placeholder: 'value', spellcheck: 'false' });
    var remove = h('button', { type: 'button', className: 'icon', 'aria-label': 'Remove filter', text: '\u00d7' });
    function fillOps() {
      var col = v.columns.filter(function (c) { return c.name === column.value; })[0];
      var keep = op.value;
      clear(op);
      operatorsFor(col ? col.type : 'STRING').forEach(function (o) { op.appendChild(h('option', { value: o, text: o })); });
      if (keep) op.value = keep;
      if (!op.value) op.selectedIndex = 0;
    }
    column.addEventListener('change', fillOps);
    fillOps();
    var row = h('div', { className: 'filter-row' }, [column, h('label', null, [not, 'not']), op, value, remove]);
    remove.addEventListener('click', function () { row.remove(); updateCurl(); });
    $('try-filters').appendChild(row);
    return row;
  }

  // Readable query strings: commas, colons and stars are safe in a query and easier to read.
  function enc(s) { return encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2A/g, '*'); }

  function requestPath(cursor) {
    var v = tryView();
    var pairs = [];
    function add(k, val) { val = String(val || '').trim(); if (val) pairs.push([k, val]); }
    add('select', $('try-select').value);
    Array.prototype.forEach.call(document.querySelectorAll('#try-filters .filter-row'), function (row) {
      var col = row.querySelector('.f-col').value;
      // A row the user has not filled in yet is not a filter.
      if (!col || !row.querySelector('.f-val').value) return;
      pairs.push([col, (row.querySelector('.f-not').checked ? 'not.' : '') + row.querySelector('.f-op').value + '.' + row.querySelector('.f-val').value]);
    });
    if (v.dateColumn) { add('from', $('try-from').value); add('to', $('try-to').value); }
    add('order', $('try-order').value);
    add('group_by', $('try-group').value);
    add('limit', $('try-limit').value);
    if ($('try-format').value && $('try-format').value !== 'json') add('format', $('try-format').value);
    if (cursor) add('cursor', cursor);
    var qs = pairs.map(function (p) { return enc(p[0]) + '=' + enc(p[1]); }).join('&');
    return '/v1/views/' + encodeURIComponent(v.name) + '/rows' + (qs ? '?' + qs : '');
  }

  function shellQuote(s) { return "'" + s.replace(/'/g, "'\\''") + "'"; }

  // The command names an environment variable, never the key, so it is safe to paste anywhere.
  function curlFor(path) {
    return 'curl -sS \\\n  -H "Authorization: Bearer $ACTIVCONNECT_API_KEY" \\\n  ' + shellQuote(location.origin + path);
  }
  function updateCurl(path) { $('try-curl').textContent = curlFor(typeof path === 'string' ? path : requestPath(null)); }

  function run(cursor) {
    var path = requestPath(cursor);
    updateCurl(path);
    var headers = {};
    var key = $('try-key').value.trim();
    if (key) headers.Authorization = 'Bearer ' + key;
    var button = $('try-run');
    button.disabled = true;
    button.textContent = 'Sending\u2026';
    var started = performance.now();
    fetch(path, { headers: headers, cache: 'no-store' })
      .then(function (res) {
        return res.text().then(function (text) { showResponse(res, text, Math.round(performance.now() - started)); });
      })
      .catch(function (err) {
        var box = $('try-result');
        clear(box);
        box.appendChild(problemView({ title: 'The request did not complete', detail: String(err && err.message || err) }));
      })
      .then(function () { button.disabled = false; button.textContent = 'Send request'; });
  }

  function bytes(n) { return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB'; }

  function showResponse(res, text, ms) {
    var box = $('try-result');
    clear(box);
    var type = (res.headers.get('content-type') || '').toLowerCase();
    var rid = res.headers.get('x-request-id');
    box.appendChild(h('div', { className: 'result-meta' }, [
      h('span', { className: 'status ' + (res.ok ? 'ok' : 'err'), text: res.status + (res.statusText ? ' ' + res.statusText : '') }),
      h('span', { text: type.split(';')[0] || 'no content type' }),
      h('span', { text: ms + ' ms' }),
      h('span', { text: bytes(text.length) }),
      rid ? h('span', { className: 'mono', text: 'request ' + rid }) : null,
    ]));
    var data = null;
    if (type.indexOf('json') !== -1 && type.indexOf('ndjson') === -1) { try { data = JSON.parse(text); } catch (e) { data = null; } }
    if (data && type.indexOf('problem+json') !== -1) { box.appendChild(problemView(data)); return; }
    if (data && Array.isArray(data.rows) && Array.isArray(data.columns)) {
      var names = data.columns.map(function (c) { return c.name; });
      box.appendChild(dataTable(names, data.rows.map(function (r) { return names.map(function (n) { return r[n]; }); })));
      box.appendChild(pageFoot(data));
    } else if (data && Array.isArray(data.values)) {
      box.appendChild(dataTable(data.values[0] || [], data.values.slice(1)));
      box.appendChild(pageFoot(data));
    } else if (data) {
      box.appendChild(h('pre', { text: JSON.stringify(data, null, 2) }));
    } else {
      box.appendChild(h('pre', { text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '\n\u2026 (' + bytes(text.length) + ' in all)' : text }));
    }
  }

  function cell(value) {
    if (value === null || value === undefined) return h('td', null, [h('span', { className: 'null', text: 'null' })]);
    var text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return h('td', { text: text, title: text.length > 40 ? text : null });
  }

  function dataTable(header, rows) {
    var shown = rows.slice(0, MAX_TABLE_ROWS);
    var wrap = h('div', { className: 'table-wrap' }, [h('table', { className: 'grid data' }, [
      h('thead', null, [h('tr', null, header.map(function (n) { return h('th', { text: String(n) }); }))]),
      h('tbody', null, shown.map(function (r) { return h('tr', null, r.map(cell)); })),
    ])]);
    if (rows.length > shown.length) wrap.appendChild(h('div', { className: 'empty', text: 'Showing the first ' + shown.length + ' of ' + rows.length + ' rows.' }));
    if (rows.length === 0) wrap.appendChild(h('div', { className: 'empty', text: 'No rows match.' }));
    return wrap;
  }

  function pageFoot(data) {
    var foot = h('div', { className: 'result-foot' }, [h('span', { text: data.row_count + ' rows' })]);
    if (data.next_cursor) {
      var next = h('button', { type: 'button', className: 'secondary', text: 'Next page' });
      next.addEventListener('click', function () { run(data.next_cursor); });
      foot.appendChild(next);
    } else {
      foot.appendChild(h('span', { text: 'last page' }));
    }
    return foot;
  }

  function problemView(p) {
    var shown = { type: 1, title: 1, status: 1, detail: 1, suggestions: 1 };
    var meta = h('dl', { className: 'problem-meta' });
    Object.keys(p).forEach(function (k) {
      if (shown[k]) return;
      meta.appendChild(h('dt', { text: k }));
      meta.appendChild(h('dd', { text: typeof p[k] === 'object' ? JSON.stringify(p[k]) : String(p[k]) }));
    });
    if (p.type) { meta.appendChild(h('dt', { text: 'type' })); meta.appendChild(h('dd', { className: 'mono', text: String(p.type) })); }
    var suggestions = Array.isArray(p.suggestions) && p.suggestions.length
      ? h('p', { className: 'problem-suggest' }, ['Did you mean: '].concat(p.suggestions.map(function (s) { return h('code', { className: 'chip', text: String(s) }); })))
      : null;
    return h('div', { className: 'problem', role: 'alert' }, [
      h('div', { className: 'problem-title', text: (p.title || 'Error') + (p.status ? ' (' + p.status + ')' : '') }),
      h('p', { className: 'problem-detail', text: p.detail ? String(p.detail) : '' }),
      suggestions,
      meta,
    ]);
  }

  $('column-search').addEventListener('input', filterColumns);
  window.addEventListener('hashchange', route);
  fetch('/openapi.json', { headers: { Accept: 'application/json' } })
    .then(function (r) { if (!r.ok) throw new Error('GET /openapi.json answered ' + r.status); return r.json(); })
    .then(init)
    .catch(function (err) { notice('Could not load the API description: ' + (err && err.message || err), true); });
})();
`;

/**
 * The page's HTML. Static: everything it shows comes from /openapi.json at run time.
 * @example c.html(docsPage(), 200, { 'content-security-policy': await docsContentSecurityPolicy() })
 */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ActivConnect Bridge API reference</title>
<link rel="icon" href="data:,">
<style>${DOCS_STYLE}</style>
</head>
<body>
<header class="topbar">
  <a class="brand" href="#/">ActivConnect Bridge <span>API reference</span></a>
  <span id="api-version" class="pill"></span>
  <nav class="toplinks"><a href="#try">Try it</a><a href="/openapi.json">openapi.json</a></nav>
</header>
<div class="layout">
  <aside class="sidebar">
    <a class="nav-link" href="#/">Overview</a>
    <div class="nav-heading">Views</div>
    <ul id="view-list" class="view-list"></ul>
  </aside>
  <main>
    <div id="status" class="notice" hidden></div>
    <section id="overview" class="card prose"><p class="muted">Loading the API description…</p></section>
    <section id="view-panel" hidden>
      <div class="card">
        <div class="view-head"><h1 id="view-title"></h1><span id="view-plan"></span></div>
        <p id="view-description" class="lede"></p>
        <dl id="view-facts" class="facts"></dl>
        <div id="view-endpoints" class="endpoints"></div>
      </div>
      <div class="card">
        <div class="card-head">
          <h2>Columns</h2>
          <input id="column-search" type="search" placeholder="Search names, types, plans, descriptions" aria-label="Search columns">
          <span id="column-count" class="muted"></span>
        </div>
        <div class="table-wrap">
          <table id="columns" class="grid">
            <thead><tr><th>Name</th><th>Type</th><th>Plan</th><th>Description</th></tr></thead>
            <tbody></tbody>
          </table>
        </div>
      </div>
    </section>
    <section id="try" class="card try">
      <h2>Try it</h2>
      <form id="try-form" autocomplete="off">
        <div class="fields">
          <label class="field wide">API key<input id="try-key" type="password" autocomplete="off" placeholder="Your key, kept in this tab only" spellcheck="false"></label>
          <label class="field">View<select id="try-view"></select></label>
          <label class="field">format<select id="try-format"></select></label>
          <label class="field wide">select<input id="try-select" placeholder="all columns your plan can read" spellcheck="false"></label>
          <label class="field" id="try-from-field"><span id="try-from-label">from</span><input id="try-from" type="date"></label>
          <label class="field" id="try-to-field"><span id="try-to-label">to</span><input id="try-to" type="date"></label>
          <label class="field">order<input id="try-order" spellcheck="false"></label>
          <label class="field">group_by<input id="try-group" spellcheck="false"></label>
          <label class="field">limit<input id="try-limit" type="number" min="1" value="25"></label>
        </div>
        <fieldset class="filters">
          <legend>Filters</legend>
          <div id="try-filters"></div>
          <button type="button" id="try-add-filter" class="secondary">+ Add filter</button>
        </fieldset>
        <div class="actions">
          <button type="submit" id="try-run" class="primary">Send request</button>
          <span class="hint">Calls this server with your key. The curl command uses $ACTIVCONNECT_API_KEY instead of the key.</span>
        </div>
      </form>
      <div class="curl">
        <div class="curl-head"><span>curl</span><button type="button" id="try-copy" class="link">Copy</button></div>
        <pre id="try-curl"></pre>
      </div>
      <div id="try-result" class="result" aria-live="polite"></div>
    </section>
  </main>
</div>
<script>${DOCS_SCRIPT}</script>
</body>
</html>
`;
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A CSP that lets the page run its own inline style and script and talk only to this
 * origin: hashes rather than 'unsafe-inline', so an injected script cannot run.
 */
export async function docsContentSecurityPolicy(): Promise<string> {
  const [script, style] = await Promise.all([sha256Base64(DOCS_SCRIPT), sha256Base64(DOCS_STYLE)]);
  return [
    "default-src 'none'",
    `script-src 'sha256-${script}'`,
    `style-src 'sha256-${style}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
