import { validateNewUser } from "../../backend/src/user-schema.js";
import type { UserSummary, UsersApi } from "./api.js";
import { byId, clearStatus, details, el, isDisabled, setBusy, showStatus } from "./dom.js";
import { failureContent, peopleMessage } from "./errors.js";
import { FieldSet } from "./fields.js";

const NAMES = ["userId", "name", "email"] as const;
const LABELS = { userId: "User id", name: "Name", email: "Email" } as const;

/**
 * Signed in (auth "cognito"), the record is the caller's own: the id is their token's `sub`, so
 * the form has no user id field and the e-mail starts as the sign-in address.
 */
export interface Owner {
  sub: string;
  email?: string;
}

/** The create-user form: validates with the backend's own schema, then POSTs. */
export function mountCreateView(api: UsersApi, onCreated: (user: UserSummary) => void, owner?: () => Owner | undefined): void {
  const form = byId("create-form", HTMLFormElement);
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const status = byId("create-status", HTMLElement);
  const owned = owner !== undefined;
  if (owned) {
    // The id field leaves the form (and the tab order); the title and button say whose record it is.
    byId("create-userId-field", HTMLElement).remove();
    byId("create-title", HTMLElement).textContent = "Create your profile";
    submit.textContent = "Create profile";
    const email = byId("create-email", HTMLInputElement);
    form.addEventListener("reset", () => setTimeout(() => (email.value = owner()?.email ?? "")));
    email.value = owner()?.email ?? "";
  }
  const fields = new FieldSet<(typeof NAMES)[number]>("create", owned ? ["name", "email"] : NAMES, LABELS);
  const idleLabel = submit.textContent ?? "Create user";
  let busy = false;
  // The key of the last attempt that may have been stored (no answer, 429 or 5xx): sending the
  // same values again reuses it, so the API answers that attempt's 201 instead of a 409.
  let pending: { body: string; key: string } | undefined;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy || isDisabled(submit)) return;
    const values = fields.values();
    const me = owner?.();
    const checked = owned ? validateNewUser(values, me?.sub ?? "") : validateNewUser(values);
    if (!checked.ok) {
      showFieldErrors(friendlyMessages(values, checked.fields));
      return;
    }
    fields.clearErrors();
    busy = true;
    setBusy(form, [submit], true);
    submit.textContent = "Creating…";
    showStatus(status, "info", "Creating the user…");
    const body = JSON.stringify(checked.value);
    const key = pending?.body === body ? pending.key : crypto.randomUUID();
    const { userId, ...ownFields } = checked.value;
    const result = await api.createUser(owned ? ownFields : checked.value, key);
    busy = false;
    setBusy(form, [submit], false);
    submit.textContent = idleLabel;

    if (result.ok) {
      pending = undefined;
      const { name, email } = checked.value;
      showStatus(
        status,
        "success",
        el("strong", undefined, owned ? "Your profile was created." : `${name} was created. They are marked “new” at the top of the list.`),
        details([
          ["Name", name],
          ["User id", el("code", undefined, result.data.userId ?? userId)],
          ["Email", email],
        ]),
      );
      form.reset();
      onCreated({ userId: result.data.userId ?? userId, name, createdAt: new Date().toISOString() });
      return;
    }
    const { error } = result;
    pending = error.status === 0 || error.status === 429 || error.status >= 500 ? { body, key } : undefined;
    if (error.status === 409 && !owned) fields.showErrors({ userId: "is already taken" });
    else if (error.fields) fields.showErrors(friendlyMessages(values, error.fields));
    // The field says what is wrong; the status says what happened and what to do, once.
    const sentence =
      error.status === 409
        ? owned
          ? "You already have a profile."
          : "The user was not created: please choose another user id."
        : error.fields
          ? "The user was not created: please correct the highlighted fields."
          : `The user was not created. ${peopleMessage(error)}`;
    showStatus(status, "error", ...failureContent(error, sentence));
    fields.focusFirstError();
  });

  form.addEventListener("reset", () => fields.clearErrors());

  /** Each problem once, at its field; the status only counts them (one message per failure). */
  function showFieldErrors(messages: Record<string, string>): void {
    const other = fields.showErrors(messages);
    const count = Object.keys(messages).length;
    showStatus(
      status,
      "error",
      el("strong", undefined, `Please correct ${count === 1 ? "the highlighted field" : `the ${count} highlighted fields`}.`),
      ...other.map((o) => el("span", "request-id", o)),
    );
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
