/** Pieces every view uses: sections, errors shown as errors (never as zeros), busy buttons. */
import { ApiError, NetworkError } from '../api.ts';
import { el } from '../dom.ts';
import { t } from '../i18n.ts';

export function section(id: string, heading: string, ...children: (Node | string)[]): HTMLElement {
  const headingId = `${id}-heading`;
  return el('section', { id, 'aria-labelledby': headingId }, el('h2', { id: headingId, text: heading }), ...children);
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return t('error.api', { message: error.message, status: error.status });
  if (error instanceof NetworkError) return t('error.network');
  return error instanceof Error ? error.message : String(error);
}

/** An error where the data would have been: announced to screen readers, with what the server said. */
export function errorBox(error: unknown): HTMLElement {
  return el('div', { class: 'error', role: 'alert' }, el('strong', { text: `${t('app.error')}: ` }), messageOf(error));
}

/** Runs an action from a button: disabled while it runs; a failure is shown next to it. */
export function action(button: HTMLButtonElement, run: () => Promise<void>, errorTarget: HTMLElement): void {
  button.addEventListener('click', () => {
    button.disabled = true;
    errorTarget.replaceChildren();
    run()
      .catch((error: unknown) => errorTarget.replaceChildren(errorBox(error)))
      .finally(() => {
        button.disabled = false;
      });
  });
}

/**
 * Shows a detail view in `holder`: "Loading…" first, then the view with its heading focused (so keyboard and
 * screen-reader users land on what they opened), or the error where the view would have been.
 */
export function showDetailIn(holder: HTMLElement, load: () => Promise<HTMLElement>): void {
  holder.replaceChildren(el('p', { text: t('app.loading') }));
  load()
    .then((detail) => {
      holder.replaceChildren(detail);
      const heading = detail.querySelector('h2');
      heading?.setAttribute('tabindex', '-1');
      heading?.focus();
    })
    .catch((error: unknown) => holder.replaceChildren(errorBox(error)));
}
