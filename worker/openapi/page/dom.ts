/**
 * The page's one way to make elements: strings become text nodes and attributes are set
 * as attributes, so text from the document or an API answer is never parsed as HTML.
 */

type Child = Node | string | null | undefined;
type AttrValue = string | number | boolean | null | undefined;

/** `text` sets textContent and `className` the class; every other key is an attribute (true: present, false/null: absent). */
export type Attrs = Readonly<Record<string, AttrValue>>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  children?: readonly Child[],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'className') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children ?? []) {
    if (child === null || child === undefined) continue;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** The element with this id; the markup in docs-page.ts has them all, so a missing one is a bug there. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the /docs markup`);
  return node as T;
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}
