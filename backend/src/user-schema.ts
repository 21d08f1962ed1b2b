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
 *   validateNewUser(input: unknown, ownerId: string): ValidationResult
 *   - With a signed-in caller the id is theirs (the token's `sub`), never the body's: `input`
 *     must hold exactly name and email, a `userId` key is refused ("is set from your sign-in"),
 *     and `value.userId` is `ownerId`.
 *
 *   validateUserId(id: unknown): string | undefined   -> error message, or undefined when valid
 *
 * Rules: userId ^[A-Za-z0-9_-]{1,64}$ and not a reserved word; name 1–100 characters (code
 * points) after trim + NFC, written as people write names: ZWJ and ZWNJ where scripts need them
 * (after a letter or mark of a joining or Brahmic script: Persian and other Arabic-script names,
 * Indic conjuncts; and inside emoji ZWJ sequences), emoji tag sequences (subdivision flags);
 * refused: other control and format
 * characters (bidi, zero-width space, BOM, soft hyphen), line and paragraph separators, lone
 * surrogates, Unicode noncharacters, U+FFFD (the mark of bytes that were not UTF-8), the
 * invisible letters (Hangul fillers, Khmer inherent vowels, Braille blank), and a name with
 * nothing visible; email ASCII, ≤ 254 characters, one "@", local part 1–64 characters, a dotted
 * domain of LDH labels, no whitespace.
 */

export interface NewUser {
  userId: string;
  name: string;
  email: string;
}

export type ValidationResult = { ok: true; value: NewUser } | { ok: false; fields: Record<string, string> };

export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Ids that match the pattern but name JavaScript object internals (refused so no code path
 * ever uses one as a property key by accident), and "me", which GET /users/me answers for the
 * signed-in caller, so a user called "me" could never be read. Compared case-insensitively. */
export const RESERVED_USER_IDS: readonly string[] = ["__proto__", "constructor", "prototype", "me"];
export const NAME_MAX_CHARS = 100;
export const EMAIL_MAX_CHARS = 254;
export const EMAIL_LOCAL_MAX_CHARS = 64;

const NEW_USER_KEYS = ["userId", "name", "email"] as const;
/** A signed-in caller's body: the id comes from the token. */
const OWNED_USER_KEYS = ["name", "email"] as const;
/** How many unknown keys an error lists: the body is bounded, but the answer stays short. */
const MAX_REPORTED_UNKNOWN_KEYS = 10;

/**
 * The HTML maxlength of each form field, in UTF-16 code units as browsers count it: the most a
 * valid value can take (a name's 100 characters may each be an astral code point, two units).
 */
export const FIELD_MAX_LENGTH = { userId: 64, name: NAME_MAX_CHARS * 2, email: EMAIL_MAX_CHARS } as const;

// Cc control, Cf format (bidi controls, zero-width characters, BOM, soft hyphen),
// Zl/Zp line and paragraph separators, Cs lone surrogates (matched only when unpaired in u-mode).
const FORBIDDEN_NAME_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/**
 * Scripts whose names need ZWJ/ZWNJ: the joining scripts (Arabic, Persian and Urdu among them)
 * and the Brahmic ones (conjuncts and half forms after a virama). Not Latin, Greek, Cyrillic or
 * CJK, where a joiner is only ever an invisible difference ("ad\u200Dmin").
 */
const JOINER_SCRIPTS = [
  "Arabic",
  "Syriac",
  "Thaana",
  "Nko",
  "Mongolian",
  "Hanifi_Rohingya",
  "Devanagari",
  "Bengali",
  "Gurmukhi",
  "Gujarati",
  "Oriya",
  "Tamil",
  "Telugu",
  "Kannada",
  "Malayalam",
  "Sinhala",
  "Khmer",
  "Myanmar",
  "Tibetan",
];
const JOINER_SCRIPT_CHAR = `[${JOINER_SCRIPTS.map((s) => `\\p{scx=${s}}`).join("")}]`;
/** ZWJ/ZWNJ the way scripts and emoji use them: the only format characters a name keeps. */
const JOINER_IN_CONTEXT = new RegExp(
  [
    // After a letter or mark of a joining or Brahmic script, before a letter or mark.
    `(?<=${JOINER_SCRIPT_CHAR})[\\u200C\\u200D](?=[\\p{L}\\p{M}])`,
    // Inside an emoji ZWJ sequence: after an emoji (a skin tone, or VS16), before an emoji.
    `(?<=[\\p{Extended_Pictographic}\\p{Emoji_Modifier}\\uFE0F])\\u200D(?=\\p{Extended_Pictographic})`,
  ].join("|"),
  "gu",
);
/** An emoji tag sequence (the flags of England, Scotland, Wales): black flag, tag letters/digits, cancel tag. */
const EMOJI_TAG_SEQUENCE = /\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{1,7}\u{E007F}/gu;
/**
 * Letters and symbols that render as nothing: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0),
 * the Khmer inherent vowels (U+17B4, U+17B5) and the Braille blank (U+2800).
 */
const INVISIBLE_LETTERS = /[\u115F\u1160\u3164\uFFA0\u17B4\u17B5\u2800]/u;
/** Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of every plane. */
const NONCHARACTER =
  /[\uFDD0-\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/u;
/** What shows nothing on its own: default-ignorable code points, white space and lone marks. */
const NOTHING_VISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{M}]*$/u;
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
  if (name.includes("\uFFFD")) return { error: "must not contain U+FFFD, the mark of bytes that were not UTF-8" };
  if (NONCHARACTER.test(name)) return { error: "must not contain Unicode noncharacters" };
  if (INVISIBLE_LETTERS.test(name)) return { error: "must not contain invisible letters such as Hangul fillers" };
  const withoutAllowedFormats = name.replace(EMOJI_TAG_SEQUENCE, "\u{1F3F4}").replace(JOINER_IN_CONTEXT, "");
  if (FORBIDDEN_NAME_CHARS.test(withoutAllowedFormats)) {
    return {
      error:
        "must not contain control, bidi or zero-width characters (zero-width joiners only between letters or emoji), or unpaired surrogates",
    };
  }
  const value = name.trim().normalize("NFC");
  const chars = [...value].length;
  if (chars < 1 || chars > NAME_MAX_CHARS) {
    return { error: `must be 1-${NAME_MAX_CHARS} characters after trimming` };
  }
  if (NOTHING_VISIBLE.test(value)) return { error: "must contain a visible character" };
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

/** The message for a `userId` in the body of a signed-in caller's create. */
export const OWNER_ID_FROM_SIGN_IN = "is set from your sign-in; leave it out";

/** Validates a parsed create-user body; see the file header for the exact shape. */
export function validateNewUser(input: unknown, ownerId?: string): ValidationResult {
  if (!isPlainObject(input)) return { ok: false, fields: { body: "must be a JSON object" } };
  const fields: Record<string, string> = {};
  const keys: readonly string[] = ownerId === undefined ? NEW_USER_KEYS : OWNED_USER_KEYS;
  if (ownerId !== undefined && Object.hasOwn(input, "userId")) fields.userId = OWNER_ID_FROM_SIGN_IN;
  const unknownKeys = Object.keys(input).filter((k) => !keys.includes(k) && !(ownerId !== undefined && k === "userId"));
  for (const key of unknownKeys.slice(0, MAX_REPORTED_UNKNOWN_KEYS)) {
    // Own-property definition: a key such as "__proto__" must stay a plain entry.
    Object.defineProperty(fields, key.slice(0, 64), {
      value: "is not allowed",
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const has = (k: string) => Object.hasOwn(input, k);
  for (const key of keys) if (!has(key)) fields[key] = "is required";

  const userIdError = ownerId === undefined && has("userId") ? validateUserId(input.userId) : undefined;
  if (userIdError) fields.userId = userIdError;
  const name = has("name") ? checkName(input.name) : undefined;
  if (name && "error" in name) fields.name = name.error;
  const emailError = has("email") ? validateEmail(input.email) : undefined;
  if (emailError) fields.email = emailError;

  if (Object.keys(fields).length > 0 || !name || "error" in name) return { ok: false, fields };
  return {
    ok: true,
    value: { userId: ownerId ?? (input.userId as string), name: name.value, email: input.email as string },
  };
}
