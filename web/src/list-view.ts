import type { UserSummary, UsersApi } from "./api.js";
import { byId, clearStatus, details, el, isDisabled, setBusy, setDisabled, showStatus, timeElement } from "./dom.js";
import { failureContent } from "./errors.js";

/** Users per page of the list. */
export const PAGE_SIZE = 10;

export interface ListView {
  reload(): void;
  /** Shows the first page with this just-created user on it, marked as new. */
  showCreated(user: UserSummary): void;
}

/**
 * The paged user list, newest first (GET /users?limit=&cursor=). Choosing a user opens its
 * details right under it, with focus moved there.
 */
export function mountListView(api: UsersApi): ListView {
  const list = byId("user-list", HTMLUListElement);
  const status = byId("list-status", HTMLElement);
  const prev = byId("list-prev", HTMLButtonElement);
  const next = byId("list-next", HTMLButtonElement);
  const refresh = byId("list-refresh", HTMLButtonElement);
  const pageLabel = byId("list-page", HTMLElement);
  const section = (list.closest("section") ?? list) as HTMLElement;

  // cursors[i] opens page i; page 0 needs none.
  let cursors: (string | undefined)[] = [undefined];
  let page = 0;
  let nextCursor: string | null = null;
  let busy = false;
  let items: UserSummary[] = [];
  /** The user created last from this page: marked, and kept on page 1 until the list has it. */
  let created: UserSummary | undefined;
  // A reload after a create does not wait for a page load in flight; only the newest load may
  // draw, or an older answer landing last would show a page the pager does not name.
  let newestLoad = 0;
  // Likewise only the newest details request may fill the open details.
  let newestDetails = 0;

  async function load(target: number): Promise<void> {
    const thisLoad = ++newestLoad;
    busy = true;
    setBusy(section, [prev, next, refresh], true);
    showStatus(status, "info", "Loading users…");
    const result = await api.listUsers({ limit: PAGE_SIZE, cursor: cursors[target] });
    if (thisLoad !== newestLoad) return;
    busy = false;
    setBusy(section, [refresh], false);
    if (!result.ok) {
      showStatus(status, "error", ...failureContent(result.error));
      updatePager(false);
      return;
    }
    const moved = page !== target;
    page = target;
    nextCursor = result.data.nextCursor ?? null;
    cursors = cursors.slice(0, page + 1);
    if (nextCursor) cursors.push(nextCursor);
    items = result.data.items;
    // The list index may lag a create by a moment: the new user is shown at once all the same.
    if (page === 0 && created && !items.some((u) => u.userId === created!.userId)) items = [created, ...items].slice(0, PAGE_SIZE);
    render();
    if (items.length === 0) showStatus(status, "info", "No users yet.");
    else clearStatus(status);
    updatePager(moved);
  }

  function render(): void {
    list.replaceChildren(
      ...items.map((user, i) => {
        const detailsId = `user-details-${i}`;
        const show = el("button", "link", user.name);
        show.type = "button";
        show.setAttribute("aria-label", `Show ${user.name} (${user.userId})`);
        show.setAttribute("aria-expanded", "false");
        show.setAttribute("aria-controls", detailsId);
        const panel = el("div", "user-details");
        panel.id = detailsId;
        panel.hidden = true;
        panel.tabIndex = -1;
        panel.setAttribute("role", "region");
        panel.setAttribute("aria-label", `Details of ${user.name}`);
        show.addEventListener("click", () => void toggleDetails(user, show, panel));
        const item = el(
          "li",
          "user",
          show,
          " ",
          el("code", undefined, user.userId),
          " ",
          el("span", "created", "created ", timeElement(user.createdAt)),
        );
        if (user.userId === created?.userId) {
          item.classList.add("is-new");
          show.after(" ", el("span", "new-badge", "new"));
        }
        item.append(panel);
        return item;
      }),
    );
  }

  /** Opens the user's details under its row (closing any other), focused, or closes them. */
  async function toggleDetails(user: UserSummary, button: HTMLButtonElement, panel: HTMLElement): Promise<void> {
    const open = button.getAttribute("aria-expanded") === "true";
    for (const other of list.querySelectorAll<HTMLButtonElement>("button[aria-expanded=true]")) {
      other.setAttribute("aria-expanded", "false");
      const otherPanel = document.getElementById(other.getAttribute("aria-controls") ?? "");
      if (otherPanel) otherPanel.hidden = true;
    }
    const thisRequest = ++newestDetails;
    if (open) return;
    button.setAttribute("aria-expanded", "true");
    panel.hidden = false;
    panel.setAttribute("aria-busy", "true");
    panel.replaceChildren(el("p", "status", "Loading details…"));
    panel.focus();
    const result = await api.getUser(user.userId);
    if (thisRequest !== newestDetails) return;
    panel.setAttribute("aria-busy", "false");
    // The details grew from one line: keep all of them in view (focus scrolled only that line in).
    queueMicrotask(() => panel.scrollIntoView?.({ block: "nearest" }));
    if (result.ok) {
      panel.replaceChildren(
        details([
          ["Name", result.data.name],
          ["User id", el("code", undefined, result.data.userId)],
          ["Created", timeElement(result.data.createdAt)],
        ]),
      );
    } else {
      panel.replaceChildren(el("div", "status", ...failureContent(result.error)));
      panel.lastElementChild!.setAttribute("data-kind", "error");
    }
  }

  function updatePager(announce: boolean): void {
    setDisabled(prev, page === 0);
    setDisabled(next, !nextCursor);
    const first = page * PAGE_SIZE + 1;
    const range = items.length ? `, users ${first} to ${first + items.length - 1}` : "";
    // The label is a live region: moving to another page is announced.
    const text = `Page ${page + 1}${range}`;
    if (announce || pageLabel.textContent !== text) pageLabel.textContent = text;
  }

  prev.addEventListener("click", () => {
    if (!busy && !isDisabled(prev)) void load(page - 1);
  });
  next.addEventListener("click", () => {
    if (!busy && !isDisabled(next)) void load(page + 1);
  });
  refresh.addEventListener("click", () => {
    if (!busy) void load(page);
  });

  return {
    reload() {
      cursors = [undefined];
      void load(0);
    },
    showCreated(user) {
      created = user;
      cursors = [undefined];
      void load(0);
    },
  };
}
