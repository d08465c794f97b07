/**
 * The few DOM features the sidebar uses, typed by hand: the project's one tsconfig has no
 * DOM library (adding it breaks the Worker's types), and the sidebar needs very little.
 * Text goes in through textContent only, never innerHTML: preview cells hold window titles
 * and URLs that monitored users typed.
 */
export interface El {
  id: string;
  value: string;
  checked: boolean;
  disabled: boolean;
  hidden: boolean;
  textContent: string | null;
  title: string;
  className: string;
  type: string;
  placeholder: string;
  selected: boolean;
  readonly dataset: Record<string, string | undefined>;
  readonly classList: { toggle(name: string, force?: boolean): boolean };
  appendChild<T extends El>(child: T): T;
  replaceChildren(...nodes: El[]): void;
  addEventListener(type: string, listener: (event: { readonly target: unknown; preventDefault(): void }) => void): void;
  querySelectorAll(selector: string): ArrayLike<El>;
  setAttribute(name: string, value: string): void;
}

interface Doc {
  getElementById(id: string): El | null;
  createElement(tag: string): El;
}

const doc = (globalThis as unknown as { document: Doc }).document;

export function byId(id: string): El {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from Sidebar.html`);
  return el;
}

type Props = Partial<Pick<El, 'id' | 'value' | 'checked' | 'disabled' | 'title' | 'className' | 'type' | 'placeholder' | 'selected'>> & {
  readonly data?: Record<string, string>;
};

/** An element with properties and children; strings become text, never markup. */
export function h(tag: string, props: Props = {}, ...children: (El | string | null)[]): El {
  const el = doc.createElement(tag);
  const { data, ...rest } = props;
  Object.assign(el, rest);
  for (const [k, v] of Object.entries(data ?? {})) el.setAttribute(`data-${k}`, v);
  for (const child of children) {
    if (child === null) continue;
    if (typeof child === 'string') {
      const span = doc.createElement('span');
      span.textContent = child;
      el.appendChild(span);
    } else el.appendChild(child);
  }
  return el;
}

export function option(value: string, label: string, selected = false): El {
  const el = doc.createElement('option');
  el.value = value;
  el.textContent = label;
  el.selected = selected;
  return el;
}
