import type { UserSummary, UsersApi } from "./api.js";
import { byId, clearStatus, el, isDisabled, setBusy, setDisabled, showStatus, timeElement } from "./dom.js";
import { errorContent } from "./errors.js";

/** Users per page of the list. */
export const PAGE_SIZE = 10;

/** The paged user list (GET /users?limit=&cursor=). Pages are walked with the API's cursors. */
export function mountListView(api: UsersApi, onSelect: (userId: string) => void): { reload(): void } {
  const list = byId("user-list", HTMLUListElement);
  const status = byId("list-status", HTMLElement);
  const prev = byId("list-prev", HTMLButtonElement);
  const next = byId("list-next", HTMLButtonElement);
  const refresh = byId("list-refresh", HTMLButtonElement);
  const pageLabel = byId("list-page", HTMLElement);
  const section = list.closest("section") ?? list;

  // cursors[i] opens page i; page 0 needs none.
  let cursors: (string | undefined)[] = [undefined];
  let page = 0;
  let nextCursor: string | null = null;
  let busy = false;
  // A reload after a create does not wait for a page load in flight; only the newest load may
  // draw, or an older answer landing last would show a page the pager does not name.
  let newestLoad = 0;

  async function load(target: number): Promise<void> {
    const thisLoad = ++newestLoad;
    busy = true;
    setBusy(section as HTMLElement, [prev, next, refresh], true);
    showStatus(status, "info", "Loading users…");
    const result = await api.listUsers({ limit: PAGE_SIZE, cursor: cursors[target] });
    if (thisLoad !== newestLoad) return;
    busy = false;
    setBusy(section as HTMLElement, [refresh], false);
    if (!result.ok) {
      showStatus(status, "error", ...errorContent(result.error));
      updatePager();
      return;
    }
    page = target;
    nextCursor = result.data.nextCursor ?? null;
    cursors = cursors.slice(0, page + 1);
    if (nextCursor) cursors.push(nextCursor);
    render(result.data.items);
    if (result.data.items.length === 0) showStatus(status, "info", page === 0 ? "No users yet." : "No more users.");
    else clearStatus(status);
    updatePager();
  }

  function render(items: UserSummary[]): void {
    list.replaceChildren(
      ...items.map((user) => {
        const show = el("button", "link", user.name);
        show.type = "button";
        show.setAttribute("aria-label", `Show ${user.name} (${user.userId})`);
        show.addEventListener("click", () => onSelect(user.userId));
        return el("li", "user", show, " ", el("code", undefined, user.userId), " ", el("span", "created", "created ", timeElement(user.createdAt)));
      }),
    );
  }

  function updatePager(): void {
    setDisabled(prev, page === 0);
    setDisabled(next, !nextCursor);
    pageLabel.textContent = `Page ${page + 1}`;
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
  };
}
