/**
 * The new-user schema, shared by the Lambda and the web app (client-side validation), so it
 * uses no Node-only API (no Buffer, no process) and has no dependencies.
 *
 * Public shape (stable; other code is written against it):
 *
 *   validateNewUser(input: unknown): ValidationResult
 *     ValidationResult = { ok: true; value: NewUser } | { ok: false; fields: Record<string, string> }
 *     NewUser = { userId: string; name: string; email: string }
 *
 *   - `input` is the parsed JSON body. It must be a plain object with exactly the keys
 *     userId, name and email, each a string.
 *   - On success `value.name` is trimmed and NFC-normalized; userId and email are returned as
 *     given (they are never rewritten, only accepted or refused).
 *   - On failure `fields` maps each offending key to a short English message, e.g.
 *     { userId: "must match ^[A-Za-z0-9_-]{1,64}$", phone: "is not allowed" }.
 *     A body that is not an object is reported under the key "body".
 *
 *   validateUserId(id: unknown): string | undefined   -> error message, or undefined when valid
 *
 * Rules (docs/api.md, "Request body"): userId ^[A-Za-z0-9_-]{1,64}$ and not a reserved word; name 1–100
 * characters (code points) after trim + NFC, no control, format (bidi, zero-width), line or
 * paragraph separator characters and no lone surrogates; email ASCII, ≤ 254 characters, one "@",
 * local part 1–64 characters, a dotted domain of LDH labels, no whitespace.
 */

export interface NewUser {
  userId: string;
  name: string;
  email: string;
}

export type ValidationResult =
  | { ok: true; value: NewUser }
  | { ok: false; fields: Record<string, string> };

export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Ids that match the pattern but name JavaScript object internals; refused so no code path
 * ever uses one as a property key by accident. Compared case-insensitively. */
export const RESERVED_USER_IDS: readonly string[] = ["__proto__", "constructor", "prototype"];
export const NAME_MAX_CHARS = 100;
export const EMAIL_MAX_CHARS = 254;
export const EMAIL_LOCAL_MAX_CHARS = 64;

const NEW_USER_KEYS = ["userId", "name", "email"] as const;
/** How many unknown keys an error lists: the body is bounded, but the answer stays short. */
const MAX_REPORTED_UNKNOWN_KEYS = 10;

// Cc control, Cf format (bidi controls, zero-width characters, BOM, soft hyphen),
// Zl/Zp line and paragraph separators, Cs lone surrogates (matched only when unpaired in u-mode).
const FORBIDDEN_NAME_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const EMAIL_LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Error message for a user id, or undefined when it is valid. */
export function validateUserId(id: unknown): string | undefined {
  if (typeof id !== "string") return "must be a string";
  if (!USER_ID_PATTERN.test(id)) return "must match ^[A-Za-z0-9_-]{1,64}$";
  if (RESERVED_USER_IDS.includes(id.toLowerCase())) return "is a reserved id";
  return undefined;
}

/** The name as stored (trimmed, NFC), or an error message. */
function checkName(name: unknown): { value: string } | { error: string } {
  if (typeof name !== "string") return { error: "must be a string" };
  // Checked before normalizing: NFC would turn a lone surrogate into U+FFFD and hide it.
  if (FORBIDDEN_NAME_CHARS.test(name)) {
    return { error: "must not contain control, bidi, zero-width or unpaired surrogate characters" };
  }
  const value = name.trim().normalize("NFC");
  const chars = [...value].length;
  if (chars < 1 || chars > NAME_MAX_CHARS) {
    return { error: `must be 1-${NAME_MAX_CHARS} characters after trimming` };
  }
  return { value };
}

/** Error message for an email address, or undefined when it is valid. */
export function validateEmail(email: unknown): string | undefined {
  if (typeof email !== "string") return "must be a string";
  if (email.length > EMAIL_MAX_CHARS) return `must be at most ${EMAIL_MAX_CHARS} characters`;
  // Printable ASCII without space: also rules out every whitespace and homoglyph trick.
  if (!/^[\x21-\x7e]+$/.test(email)) return "must be printable ASCII without whitespace";
  const parts = email.split("@");
  if (parts.length !== 2) return "must contain exactly one @";
  const [local, domain] = parts as [string, string];
  if (local.length < 1 || local.length > EMAIL_LOCAL_MAX_CHARS) {
    return `local part must be 1-${EMAIL_LOCAL_MAX_CHARS} characters`;
  }
  if (!EMAIL_LOCAL_PART.test(local)) return "local part is not valid";
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) {
    return "domain must be dotted labels of letters, digits and inner hyphens";
  }
  if (!/[A-Za-z]/.test(labels[labels.length - 1]!)) return "top-level domain is not valid";
  return undefined;
}

function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return false;
  const proto = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}

/** Validates a parsed create-user body; see the file header for the exact shape. */
export function validateNewUser(input: unknown): ValidationResult {
  if (!isPlainObject(input)) return { ok: false, fields: { body: "must be a JSON object" } };
  const fields: Record<string, string> = {};
  const unknownKeys = Object.keys(input).filter((k) => !(NEW_USER_KEYS as readonly string[]).includes(k));
  for (const key of unknownKeys.slice(0, MAX_REPORTED_UNKNOWN_KEYS)) {
    // Own-property definition: a key such as "__proto__" must stay a plain entry.
    Object.defineProperty(fields, key.slice(0, 64), {
      value: "is not allowed",
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const has = (k: string) => Object.prototype.hasOwnProperty.call(input, k);
  for (const key of NEW_USER_KEYS) if (!has(key)) fields[key] = "is required";

  const userIdError = has("userId") ? validateUserId(input.userId) : undefined;
  if (userIdError) fields.userId = userIdError;
  const name = has("name") ? checkName(input.name) : undefined;
  if (name && "error" in name) fields.name = name.error;
  const emailError = has("email") ? validateEmail(input.email) : undefined;
  if (emailError) fields.email = emailError;

  if (Object.keys(fields).length > 0 || !name || "error" in name) return { ok: false, fields };
  return {
    ok: true,
    value: { userId: input.userId as string, name: name.value, email: input.email as string },
  };
}
