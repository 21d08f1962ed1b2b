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
    ["a Persian name with a ZWNJ (Fatemeh-Zahra)", { ...valid, name: "\u0641\u0627\u0637\u0645\u0647\u200C\u0632\u0647\u0631\u0627" }],
    ["an Urdu name with a ZWNJ", { ...valid, name: "\u0645\u062D\u0645\u062F\u200C\u0639\u0644\u06CC" }],
    ["a Devanagari conjunct held half-form by a ZWJ (क्‍ष)", { ...valid, name: "\u0915\u094D\u200D\u0937\u093F\u0924\u093F" }],
    ["a Malayalam name with a ZWNJ after a virama", { ...valid, name: "\u0D15\u0D4D\u200C\u0D37" }],
    ["an emoji family (ZWJ sequence)", { ...valid, name: "Ana \u{1F468}\u200D\u{1F469}\u200D\u{1F467}" }],
    ["a technologist with a skin tone (modifier, then ZWJ)", { ...valid, name: "\u{1F469}\u{1F3FD}\u200D\u{1F4BB} Dev" }],
    ["a rainbow flag (VS16, then ZWJ)", { ...valid, name: "\u{1F3F3}\uFE0F\u200D\u{1F308}" }],
    [
      "the flag of England (an emoji tag sequence)",
      { ...valid, name: "Jo \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}" },
    ],
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
  test.each([
    ["the Hangul filler U+3164 alone", "\u3164", /invisible letters/],
    ["the Hangul choseong filler U+115F", "\u115F", /invisible letters/],
    ["the Hangul jungseong filler U+1160", "\u1160", /invisible letters/],
    ["the halfwidth Hangul filler U+FFA0", "\uFFA0", /invisible letters/],
    ["a Hangul filler inside a name", "Ann\u3164a", /invisible letters/],
    ["the Braille blank", "\u2800\u2800", /invisible letters/],
    ["only combining marks", "\u0301\u0308", /visible character/],
    ["only a variation selector and a combining grapheme joiner", "\uFE0F\u034F", /visible character/],
    ["a ZWJ alone", "\u200D", /zero-width/],
    ["a ZWNJ at the end", "Ali\u200C", /zero-width/],
    ["a ZWJ at the start", "\u200DAli", /zero-width/],
    ["a ZWJ between spaces", "Ali \u200D Reza", /zero-width/],
    ["a ZWJ between Latin letters (an invisible difference)", "ad\u200Dmin", /zero-width/],
    ["a ZWNJ between Cyrillic letters", "\u0410\u200C\u043D\u043D\u0430", /zero-width/],
    ["two joiners in a row", "\u0645\u200C\u200C\u0645", /zero-width/],
    ["a zero-width space", "Al\u200Bi", /zero-width/],
    ["a tag character outside a flag", "Jo\u{E0067}", /zero-width/],
    ["a right-to-left override", "\u202Egnp.exe", /bidi/],
    ["the noncharacter U+FDD0", "A\uFDD0", /noncharacters/],
    ["the noncharacter U+FFFE", "A\uFFFE", /noncharacters/],
    ["the noncharacter U+1FFFF", "A\u{1FFFF}", /noncharacters/],
    ["U+FFFD, the mark of bytes that were not UTF-8", "Jos\uFFFD", /U\+FFFD/],
  ])("a name with %s", (_, name, message) => {
    const result = validateNewUser({ ...valid, name });
    expect(result).toEqual({ ok: false, fields: { name: expect.stringMatching(message) } });
  });

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
