import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { validateNewUser, validateUserId } from "../../backend/src/user-schema.js";

/** The schema the web app imports for client-side validation: same answers as the API. */

const valid = { userId: "alice_01-x", name: "Alice", email: "alice@example.com" };
/** An address of `length` characters with a 64-character local part and 63-character labels. */
const emailOfLength = (length: number) => `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(length - 196)}.io`;

describe("validateNewUser accepts", () => {
  test.each([
    ["a plain user", valid],
    ["a 64-character id", { ...valid, userId: "a".repeat(64) }],
    ["100 characters made of 200 code points before NFC", { ...valid, name: "e\u0301".repeat(100) }],
    ["100 emoji (200 UTF-16 units)", { ...valid, name: "\u{1F600}".repeat(100) }],
    ["a name in another script", { ...valid, name: "\u0410\u043d\u043d\u0430 \u674e" }],
    ["an email of exactly 254 characters", { ...valid, email: emailOfLength(254) }],
    ["plus addressing and subdomains", { ...valid, email: "first.last+tag@mail.sub-domain.example.co.uk" }],
  ])("%s", (_, input) => {
    const result = validateNewUser(input);
    expect(result.ok).toBe(true);
  });

  test("returns the name trimmed and NFC-normalized, the id and email untouched", () => {
    expect(validateNewUser({ ...valid, name: "\u00a0 Zoe\u0301 \u3000" })).toEqual({
      ok: true,
      value: { userId: valid.userId, name: "Zo\u00e9", email: valid.email },
    });
  });

  test("the email builder makes addresses of the length asked", () => {
    expect(emailOfLength(254)).toHaveLength(254);
  });
});

describe("validateNewUser refuses", () => {
  test("a 255-character email", () => {
    const result = validateNewUser({ ...valid, email: emailOfLength(255) });
    expect(result).toEqual({ ok: false, fields: { email: expect.stringContaining("254") } });
  });

  test("a non-object under the key 'body'", () => {
    expect(validateNewUser("x")).toEqual({ ok: false, fields: { body: expect.any(String) } });
  });

  test("an object with a prototype other than Object's", () => {
    expect(validateNewUser(Object.assign(new (class Sneaky {})(), valid)).ok).toBe(false);
  });

  test("unknown keys, each named, __proto__ included, without polluting the result", () => {
    const input = JSON.parse('{"userId":"a","name":"n","email":"a@b.co","__proto__":{"polluted":true},"extra":1}');
    const result = validateNewUser(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fields).sort()).toEqual(["__proto__", "extra"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.fields)).toBe(Object.prototype);
  });
});

test("validateUserId refuses reserved ids in any case and accepts ordinary ones", () => {
  expect(validateUserId("Constructor")).toBe("is a reserved id");
  expect(validateUserId("user-1")).toBeUndefined();
});

test("the schema module is browser-safe: no imports, no Buffer, no process", () => {
  const source = readFileSync(new URL("../../backend/src/user-schema.ts", import.meta.url), "utf8");
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
  expect(code).not.toMatch(/^\s*import\s/m);
  expect(code).not.toMatch(/\b(Buffer|process|require)\b/);
});
