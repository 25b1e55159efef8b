/** Building DOM nodes. Text is only ever set as text (never parsed as HTML): untrusted values cannot inject. */
type Child = Node | string;
type Props = Record<string, string | boolean | ((event: Event) => void) | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

export function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

/** A table with a caption (screen readers announce it), column headers and rows. */
export function table(options: { id: string; caption: string; columns: readonly { label: string; numeric?: boolean }[]; rows: readonly HTMLTableRowElement[] }): HTMLElement {
  const head = el('tr', {}, ...options.columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : undefined, text: c.label })));
  return el(
    'div',
    // A box that may scroll sideways (a wide table on a phone) must be reachable and named for keyboard users.
    { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': options.caption },
    el('table', { id: options.id }, el('caption', { class: 'visually-hidden', text: options.caption }), el('thead', {}, head), el('tbody', {}, ...options.rows)),
  );
}

export function cell(text: string, numeric = false): HTMLTableCellElement {
  return el('td', { class: numeric ? 'num' : undefined, text });
}
