import { validateNewUser } from "../../backend/src/user-schema.js";
import type { UsersApi } from "./api.js";
import { byId, clearStatus, details, el, isDisabled, setBusy, showStatus } from "./dom.js";
import { errorContent } from "./errors.js";
import { FieldSet } from "./fields.js";

const NAMES = ["userId", "name", "email"] as const;
const LABELS = { userId: "User id", name: "Name", email: "Email" } as const;

/** The create-user form: validates with the backend's own schema, then POSTs. */
export function mountCreateView(api: UsersApi, onCreated: (userId: string) => void): void {
  const form = byId("create-form", HTMLFormElement);
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const status = byId("create-status", HTMLElement);
  const fields = new FieldSet("create", NAMES, LABELS);
  const idleLabel = submit.textContent ?? "Create user";
  let busy = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy || isDisabled(submit)) return;
    const values = fields.values();
    const checked = validateNewUser(values);
    if (!checked.ok) {
      showFieldErrors(friendlyMessages(values, checked.fields));
      return;
    }
    fields.clearErrors();
    busy = true;
    setBusy(form, [submit], true);
    submit.textContent = "Creating…";
    showStatus(status, "info", "Creating user…");
    const result = await api.createUser(checked.value);
    busy = false;
    setBusy(form, [submit], false);
    submit.textContent = idleLabel;

    if (result.ok) {
      const { userId, name, email } = checked.value;
      showStatus(
        status,
        "success",
        el("strong", undefined, result.data.message || `Created user ${userId}.`),
        details([
          ["User id", el("code", undefined, result.data.userId ?? userId)],
          ["Name", name],
          ["Email", email],
        ]),
      );
      form.reset();
      onCreated(userId);
      return;
    }
    const { error } = result;
    if (error.status === 409) fields.showErrors({ userId: "is already taken" });
    else if (error.fields) fields.showErrors(error.fields);
    showStatus(status, "error", ...errorContent(error));
    fields.focusFirstError();
  });

  form.addEventListener("reset", () => fields.clearErrors());

  function showFieldErrors(messages: Record<string, string>): void {
    const other = fields.showErrors(messages);
    const count = Object.keys(messages).length;
    const summary = `Please correct ${count} field${count === 1 ? "" : "s"}: ${Object.entries(messages)
      .map(([k, m]) => `${LABELS[k as keyof typeof LABELS] ?? k} ${m}`)
      .join("; ")}.`;
    showStatus(status, "error", summary, ...other.map((o) => el("span", "request-id", o)));
    fields.focusFirstError();
  }

  /** The schema's messages, with "is required" for empty fields and the id rule in words. */
  function friendlyMessages(values: Record<string, string>, messages: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, message] of Object.entries(messages)) {
      if (typeof values[key] === "string" && values[key]!.trim() === "") out[key] = "is required";
      else if (key === "userId" && message.startsWith("must match")) out[key] = "must be 1-64 letters, digits, “_” or “-”";
      else out[key] = message;
    }
    return out;
  }

  // A stale success or error message would describe another submission.
  form.addEventListener("input", () => {
    if (status.dataset.kind === "success") clearStatus(status);
  });
}
