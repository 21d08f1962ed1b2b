import { validateUserId } from "../../backend/src/user-schema.js";
import type { UsersApi } from "./api.js";
import { byId, details, el, isDisabled, setBusy, showStatus, timeElement } from "./dom.js";
import { failureContent } from "./errors.js";
import { FieldSet } from "./fields.js";

/** Look a user up by id (GET /users/{userId}); the details show right under the form. */
export function mountLookupView(api: UsersApi): void {
  const form = byId("lookup-form", HTMLFormElement);
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const status = byId("lookup-status", HTMLElement);
  const fields = new FieldSet("lookup", ["userId"] as const, { userId: "User id" });
  // Only the newest lookup may draw, so the status always describes the id in the field.
  let newestLookup = 0;

  async function lookUp(): Promise<void> {
    const thisLookup = ++newestLookup;
    const { userId } = fields.values();
    const problem =
      userId.trim() === "" ? "is required" : validateUserId(userId)?.replace(/^must match .*/, "must be 1-64 letters, digits, “_” or “-”");
    if (problem) {
      setBusy(form, [submit], false);
      fields.showErrors({ userId: problem });
      showStatus(status, "error", el("strong", undefined, "Please correct the highlighted field."));
      fields.focusFirstError();
      return;
    }
    fields.clearErrors();
    setBusy(form, [submit], true);
    showStatus(status, "info", "Looking the user up…");
    const result = await api.getUser(userId);
    if (thisLookup !== newestLookup) return;
    setBusy(form, [submit], false);
    if (result.ok) {
      const user = result.data;
      showStatus(
        status,
        "success",
        details([
          ["User id", el("code", undefined, user.userId)],
          ["Name", user.name],
          ["Created", timeElement(user.createdAt)],
        ]),
      );
    } else {
      showStatus(status, "error", ...failureContent(result.error));
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!isDisabled(submit)) void lookUp();
  });
}
