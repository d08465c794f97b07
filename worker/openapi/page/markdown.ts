/**
 * The small Markdown subset the document's descriptions use: headings, paragraphs, bullet
 * lists and pipe tables for blocks; `code` spans and [links](https://...) inline. Everything
 * becomes DOM nodes built from text, never innerHTML, and a link is kept only when it points
 * to http(s) or within this site, so a description cannot smuggle in markup or a script URL.
 */
import { h } from './dom.ts';

const INLINE = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

function safeHref(url: string): string | null {
  if (url.startsWith('#') || (url.startsWith('/') && !url.startsWith('//'))) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** One line of text with its code spans and links as elements. */
export function inline(text: string): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    const [whole, code, label, url] = match;
    if (code !== undefined) nodes.push(h('code', { text: code }));
    else {
      const href = safeHref(url!);
      nodes.push(href ? h('a', { href, text: label, rel: 'noreferrer' }) : document.createTextNode(label!));
    }
    last = match.index + whole.length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

const cells = (line: string) =>
  line
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((s) => s.trim());

/** Blocks separated by blank lines, each a heading, a list, a table or a paragraph. */
export function markdown(md: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const block of md.split(/\n{2,}/)) {
    const lines = block.split('\n');
    if (/^#{1,3} /.test(block)) {
      fragment.appendChild(h('h2', null, inline(block.replace(/^#+ /, ''))));
    } else if (lines.every((l) => l.startsWith('- '))) {
      fragment.appendChild(
        h(
          'ul',
          null,
          lines.map((l) => h('li', null, inline(l.slice(2)))),
        ),
      );
    } else if (lines.length > 2 && lines.every((l) => l.startsWith('|'))) {
      const head = cells(lines[0]!);
      const rows = lines.slice(2).map(cells);
      fragment.appendChild(
        h('div', { className: 'table-wrap' }, [
          h('table', { className: 'grid' }, [
            h('thead', null, [
              h(
                'tr',
                null,
                head.map((c) => h('th', null, inline(c))),
              ),
            ]),
            h(
              'tbody',
              null,
              rows.map((r) =>
                h(
                  'tr',
                  null,
                  r.map((c) => h('td', null, inline(c))),
                ),
              ),
            ),
          ]),
        ]),
      );
    } else if (block.trim() !== '') {
      fragment.appendChild(h('p', null, inline(block)));
    }
  }
  return fragment;
}
