import { validateUserId } from "./user-schema.js";
import { parseStrictJson } from "./strict-json.js";

/**
 * The list cursor: opaque to clients, base64url of `{"after":"<userId>"}`. It names only the
 * last key seen, so a forged cursor can do no more than start the scan elsewhere; it is still
 * decoded strictly so junk is a 400, never a 500 or a DynamoDB validation error.
 */

const BASE64URL = /^[A-Za-z0-9_-]{4,400}$/;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function encodeCursor(lastUserId: string): string {
  return toBase64Url(JSON.stringify({ after: lastUserId }));
}

/** The user id the next page starts after, or undefined when the cursor is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  if (!BASE64URL.test(cursor) || cursor.length % 4 === 1) return undefined;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    // Re-encoding must give the same text: refuses non-canonical trailing bits.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
    if (toBase64Url(text) !== cursor) return undefined;
    const value = parseStrictJson(text, 1);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const keys = Object.keys(value);
    const after = (value as Record<string, unknown>).after;
    if (keys.length !== 1 || keys[0] !== "after" || validateUserId(after) !== undefined) return undefined;
    return after as string;
  } catch {
    return undefined;
  }
}
