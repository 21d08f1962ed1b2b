import { parseStrictJson } from "./strict-json.js";
import { validateUserId } from "./user-schema.js";

/**
 * The list cursor: opaque to clients, base64url of `{"before":"<CreatedAt>#<userId>"}`, the list
 * key of the last user on the page. The next page is every user whose list key sorts before it,
 * in every shard: one position serves all shards because list keys are unique and the pages are
 * merged in list-key order. Users created meanwhile sort after it, so they are never pulled into
 * later pages (no repeats, no skips). A forged cursor can do no more than start the list elsewhere;
 * it is still decoded strictly so junk is a 400, never a 500 or a DynamoDB validation error.
 */

const BASE64URL = /^[A-Za-z0-9_-]{4,400}$/;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(lastListKey: string): string {
  return toBase64Url(JSON.stringify({ before: lastListKey }));
}

/** The list key the next page starts before, or undefined when the cursor is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  if (!BASE64URL.test(cursor) || cursor.length % 4 === 1) return undefined;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    // Re-encoding must give the same text: refuses non-canonical trailing bits.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    if (toBase64Url(text) !== cursor) return undefined;
    const value = parseStrictJson(text, 1);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const keys = Object.keys(value);
    const before = (value as Record<string, unknown>).before;
    if (keys.length !== 1 || keys[0] !== "before" || typeof before !== "string") return undefined;
    const hash = before.indexOf("#");
    if (!CREATED_AT.test(before.slice(0, hash)) || validateUserId(before.slice(hash + 1)) !== undefined) return undefined;
    return before;
  } catch {
    return undefined;
  }
}
