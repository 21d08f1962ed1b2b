import type { OwnUser, UsersApi } from "./api.js";
import { byId, details, el, showStatus, timeElement } from "./dom.js";
import { failureContent } from "./errors.js";

export interface MeView {
  /** Reads GET /users/me again; resolves to the record, or undefined when there is none (yet). */
  reload(): Promise<OwnUser | undefined>;
}

/** "Your profile" (sign-in on): the caller's own record, the only place their e-mail shows. */
export function mountMeView(api: UsersApi): MeView {
  const status = byId("me-status", HTMLElement);
  return {
    async reload() {
      showStatus(status, "info", "Loading your profile…");
      const result = await api.me();
      if (result.ok) {
        const user = result.data;
        showStatus(
          status,
          "success",
          details([
            ["Name", user.name],
            ["Email", user.email],
            ["User id", el("code", undefined, user.userId)],
            ["Created", timeElement(user.createdAt)],
          ]),
        );
        return user;
      }
      if (result.error.status === 404) showStatus(status, "info", "You have no profile yet: create it below.");
      else showStatus(status, "error", ...failureContent(result.error));
      return undefined;
    },
  };
}
