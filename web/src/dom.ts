/** Small DOM helpers. Text is always set through textContent, never parsed as HTML. */

export function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`index.html lacks #${id}`);
  return node;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

export type StatusKind = "info" | "success" | "error";

/** Replaces a live region's content; screen readers announce it (the region is aria-live). */
export function showStatus(region: HTMLElement, kind: StatusKind, ...content: (Node | string)[]): void {
  region.dataset.kind = kind;
  region.replaceChildren(...content);
}

export function clearStatus(region: HTMLElement): void {
  delete region.dataset.kind;
  region.replaceChildren();
}

/**
 * Marks a request in flight. Buttons get aria-disabled, not `disabled`: disabling the focused
 * button would drop keyboard focus to <body>.
 */
export function setBusy(container: HTMLElement, buttons: HTMLButtonElement[], busy: boolean): void {
  container.setAttribute("aria-busy", String(busy));
  for (const button of buttons) setDisabled(button, busy);
}

export function setDisabled(button: HTMLButtonElement, disabled: boolean): void {
  button.setAttribute("aria-disabled", String(disabled));
}

export function isDisabled(button: HTMLButtonElement): boolean {
  return button.getAttribute("aria-disabled") === "true";
}

/** A <dl> of label/value rows, e.g. a user's details. */
export function details(rows: [string, Node | string][]): HTMLDListElement {
  const list = el("dl", "details");
  for (const [term, value] of rows) list.append(el("dt", undefined, term), el("dd", undefined, value));
  return list;
}

export function timeElement(iso: string): HTMLTimeElement {
  const time = el("time");
  time.dateTime = iso;
  const date = new Date(iso);
  time.textContent = Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
  return time;
}
