import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encodeCursor } from "../../backend/src/cursor.js";
import { startTestTable, type TestTable } from "./support/dynamodb.js";
import { jsonRequest, type RequestSpec } from "./support/events.js";
import { invoke } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

/**
 * The bad-input categories of docs/api.md ("Bad input"), one by one: every case answers a 4xx JSON error naming the request
 * id, and the table holds exactly what it held before.
 */

let table: TestTable;
let logs: ReturnType<typeof captureRequestLogs>;
const seed = { userId: "seed", name: "Seed User", email: "seed@example.com" };

beforeAll(async () => {
  table = await startTestTable("bad-input");
  logs = captureRequestLogs();
  expect((await invoke(jsonRequest("POST", "/users", seed))).status).toBe(201);
});
afterAll(async () => {
  logs.restore();
  await table.stop();
});

const valid = { userId: "newcomer", name: "New Comer", email: "new@example.com" };
const json = (body: unknown) => JSON.stringify(body);
const withField = (key: string, value: unknown) => json({ ...valid, [key]: value });

/** A POST /users with this exact body text and content type. */
function post(body: string | undefined, contentType: string | null = "application/json", extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: "POST", path: "/users", headers: contentType ? { "content-type": contentType } : {}, body, ...extra };
}
/** A POST /users whose body arrives base64-encoded exactly as given. */
const postBase64 = (body: string) => post(undefined, "application/json", { rawBody: { body, isBase64Encoded: true } });
const b64 = (bytes: number[] | string) => (typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes)).toString("base64");
const get = (path: string) => jsonRequest("GET", path);

type Case = [description: string, spec: RequestSpec, status: number, code: string];

const cases: Record<string, Case[]> = {
  "malformed JSON": [
    ["truncated document", post('{"userId":"newcomer","name":"N'), 400, "invalid_json"],
    ["trailing comma", post(`${json(valid).slice(0, -1)},}`), 400, "invalid_json"],
    ["block comment", post(`/* hi */${json(valid)}`), 400, "invalid_json"],
    ["line comment", post(`${json(valid)}\n// bye`), 400, "invalid_json"],
    ["NaN value", post('{"userId":NaN,"name":"n","email":"a@b.co"}'), 400, "invalid_json"],
    ["Infinity value", post('{"userId":Infinity,"name":"n","email":"a@b.co"}'), 400, "invalid_json"],
    ["two documents", post(`${json(valid)}${json(valid)}`), 400, "invalid_json"],
    ["two documents split by whitespace", post(`${json(valid)} {}`), 400, "invalid_json"],
    ["a UTF-8 BOM before the document", post(`\uFEFF${json(valid)}`), 400, "invalid_json"],
    ["a BOM inside a base64 body", postBase64(b64(`\uFEFF${json(valid)}`)), 400, "invalid_json"],
    ["single-quoted strings", post("{'userId':'newcomer','name':'n','email':'a@b.co'}"), 400, "invalid_json"],
    ["unquoted keys", post('{userId:"newcomer",name:"n",email:"a@b.co"}'), 400, "invalid_json"],
    ["raw control character inside a string", post('{"userId":"newcomer","name":"a\tb","email":"a@b.co"}'), 400, "invalid_json"],
    ["invalid escape", post('{"userId":"newcomer","name":"\\x41","email":"a@b.co"}'), 400, "invalid_json"],
  ],
  "empty or missing body": [
    ["no body", post(undefined), 400, "invalid_json"],
    ["empty body", post(""), 400, "invalid_json"],
    ["whitespace-only body", post(" \n\t "), 400, "invalid_json"],
  ],
  "a body that is not an object": [
    ["null", post("null"), 400, "invalid_body"],
    ["a string", post('"newcomer"'), 400, "invalid_body"],
    ["a number", post("42"), 400, "invalid_body"],
    ["an array", post(json([valid])), 400, "invalid_body"],
  ],
  "wrong types per field": [
    ["numeric userId", post(withField("userId", 42)), 400, "invalid_body"],
    ["boolean userId", post(withField("userId", true)), 400, "invalid_body"],
    ["null name", post(withField("name", null)), 400, "invalid_body"],
    ["object name", post(withField("name", { first: "A" })), 400, "invalid_body"],
    ["array email", post(withField("email", ["a@b.co"])), 400, "invalid_body"],
  ],
  "missing and extra fields": [
    ["empty object", post("{}"), 400, "invalid_body"],
    ["missing email", post(json({ userId: "newcomer", name: "n" })), 400, "invalid_body"],
    ["extra createdAt (client may not set it)", post(withField("createdAt", "2000-01-01T00:00:00Z")), 400, "invalid_body"],
    ["the blog frontend's PascalCase keys", post(json({ UserId: "newcomer", Name: "n", Email: "a@b.co" })), 400, "invalid_body"],
    ["case variant of a key next to the real one", post(withField("Email", "x@y.co")), 400, "invalid_body"],
  ],
  "empty and whitespace-only strings": [
    ["empty userId", post(withField("userId", "")), 400, "invalid_body"],
    ["empty name", post(withField("name", "")), 400, "invalid_body"],
    ["whitespace-only name", post(withField("name", " \u00a0\u3000 ")), 400, "invalid_body"],
    ["empty email", post(withField("email", "")), 400, "invalid_body"],
  ],
  "padded ids": [
    ["leading space", post(withField("userId", " newcomer")), 400, "invalid_body"],
    ["trailing space", post(withField("userId", "newcomer ")), 400, "invalid_body"],
    ["trailing newline", post(withField("userId", "newcomer\n")), 400, "invalid_body"],
  ],
  "overlong values in characters and UTF-8 bytes": [
    ["userId of 65 characters", post(withField("userId", "a".repeat(65))), 400, "invalid_body"],
    ["name of 101 characters", post(withField("name", "n".repeat(101))), 400, "invalid_body"],
    ["name of 101 emoji (202 UTF-16 units, 404 bytes)", post(withField("name", "\u{1F600}".repeat(101))), 400, "invalid_body"],
    ["name of 101 characters after NFC (202 code points before)", post(withField("name", "e\u0301".repeat(101))), 400, "invalid_body"],
    [
      "email of 255 characters",
      post(withField("email", `${"a".repeat(60)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.com`.padEnd(255, "m"))),
      400,
      "invalid_body",
    ],
    ["email local part of 65 characters", post(withField("email", `${"a".repeat(65)}@example.com`)), 400, "invalid_body"],
    [
      "body under 16 KiB in characters but over it in UTF-8 bytes",
      post(withField("name", "\u4e2d".repeat(5_500))),
      413,
      "payload_too_large",
    ],
  ],
  "bodies above the application limit": [
    ["16 KiB + 1 byte of ASCII", post(withField("name", "n".repeat(16 * 1024))), 413, "payload_too_large"],
    ["base64 body decoding to more than 16 KiB", postBase64(b64(withField("name", "n".repeat(16 * 1024)))), 413, "payload_too_large"],
    ["a 1 MiB body", post("x".repeat(1024 * 1024)), 413, "payload_too_large"],
  ],
  "deep nesting": [
    ["200 nested arrays", post(`{"userId":${"[".repeat(200)}${"]".repeat(200)},"name":"n","email":"a@b.co"}`), 400, "invalid_json"],
    ["200 nested objects", post(`${'{"a":'.repeat(200)}1${"}".repeat(200)}`), 400, "invalid_json"],
    ["shallow nesting in a field", post(withField("name", [[["n"]]])), 400, "invalid_body"],
  ],
  "base64 bodies": [
    [
      "a character outside the alphabet",
      postBase64(`${b64(json(valid)).slice(0, 8)}*${b64(json(valid)).slice(9)}`),
      400,
      "invalid_encoding",
    ],
    ["base64url alphabet", postBase64(b64(withField("name", "?>?>")).replace(/\+/g, "-").replace(/\//g, "_")), 400, "invalid_encoding"],
    ["missing padding", postBase64(b64(json({ ...valid, name: "ab" })).replace(/=+$/, "")), 400, "invalid_encoding"],
    ["padding in the middle", postBase64(`${b64("{}")}${b64(json(valid))}`), 400, "invalid_encoding"],
    ["non-zero slack bits in the last quad", postBase64(b64("{}").replace(/e30=$/, "e31=")), 400, "invalid_encoding"],
    ["line breaks inside the base64", postBase64(b64(json(valid)).replace(/(.{8})/g, "$1\n")), 400, "invalid_encoding"],
    ["valid base64 of invalid UTF-8", postBase64(b64([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, "invalid_encoding"],
    [
      "valid base64 of overlong UTF-8 (C0 AF)",
      postBase64(b64([...Buffer.from('{"userId":"'), 0xc0, 0xaf, ...Buffer.from('"}')])),
      400,
      "invalid_encoding",
    ],
    [
      "valid base64 of an encoded surrogate (CESU-8)",
      postBase64(b64([...Buffer.from(`{"userId":"newcomer","email":"a@b.co","name":"`), 0xed, 0xa0, 0x80, 0x22, 0x7d])),
      400,
      "invalid_encoding",
    ],
    ["valid base64 of invalid JSON", postBase64(b64("{nope")), 400, "invalid_json"],
  ],
  "text bodies that were not UTF-8": [
    // Handed over as text, undecodable bytes arrive as U+FFFD: the body is refused, not stored.
    ["a text body holding U+FFFD", post(`{"userId":"newcomer","name":"Jos\uFFFD","email":"a@b.co"}`), 400, "invalid_encoding"],
    ["a text body with an unpaired surrogate", post(`{"userId":"newcomer","name":"Jo\uD800s","email":"a@b.co"}`), 400, "invalid_encoding"],
    [
      "U+FFFD written as a JSON escape is judged by the name's rules",
      post('{"userId":"newcomer","name":"Jos\\ufffd","email":"a@b.co"}'),
      400,
      "invalid_body",
    ],
    ["a Hangul filler for a name", post(withField("name", "\u3164")), 400, "invalid_body"],
  ],
  "content types and charsets": [
    ["no content type (API Gateway base64-encodes the body)", post(json(valid), null), 415, "unsupported_media_type"],
    ["text/plain", post(json(valid), "text/plain"), 415, "unsupported_media_type"],
    ["form-urlencoded", post("userId=newcomer&name=n&email=a%40b.co", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"],
    ["multipart", post(json(valid), "multipart/form-data; boundary=x"), 415, "unsupported_media_type"],
    ["a JSON look-alike type", post(json(valid), "application/json-patch+json"), 415, "unsupported_media_type"],
    ["charset latin1", post(json(valid), "application/json; charset=iso-8859-1"), 415, "unsupported_media_type"],
    ["charset utf-16", post(json(valid), "application/json; charset=utf-16"), 415, "unsupported_media_type"],
    ["an unknown parameter", post(json(valid), "application/json; profile=x"), 415, "unsupported_media_type"],
  ],
  "prototype-pollution keys and reserved ids": [
    ["__proto__ key", post('{"userId":"newcomer","name":"n","email":"a@b.co","__proto__":{"admin":true}}'), 400, "invalid_json"],
    ["escaped __proto__ key", post('{"userId":"newcomer","name":"n","email":"a@b.co","\\u005f_proto__":{}}'), 400, "invalid_json"],
    [
      "constructor.prototype",
      post('{"userId":"newcomer","name":"n","email":"a@b.co","constructor":{"prototype":{"x":1}}}'),
      400,
      "invalid_json",
    ],
    ["__proto__ nested in a field", post('{"userId":"newcomer","name":{"__proto__":"x"},"email":"a@b.co"}'), 400, "invalid_json"],
    ["userId __proto__", post(withField("userId", "__proto__")), 400, "invalid_body"],
    ["userId constructor", post(withField("userId", "constructor")), 400, "invalid_body"],
    ["GET of a reserved id", get("/users/prototype"), 400, "invalid_path"],
  ],
  "duplicate keys": [
    ["userId twice", post('{"userId":"newcomer","userId":"other","name":"n","email":"a@b.co"}'), 400, "invalid_json"],
    [
      "email twice, second one escaped",
      post('{"userId":"newcomer","name":"n","email":"a@b.co","\\u0065mail":"x@y.co"}'),
      400,
      "invalid_json",
    ],
  ],
  "Unicode traps": [
    ["lone high surrogate in name", post('{"userId":"newcomer","name":"a\\ud800b","email":"a@b.co"}'), 400, "invalid_body"],
    ["lone low surrogate at the end of name", post('{"userId":"newcomer","name":"ab\\udc00","email":"a@b.co"}'), 400, "invalid_body"],
    ["right-to-left override in name", post(withField("name", "abc\u202Egpj.exe")), 400, "invalid_body"],
    ["bidi isolate in name", post(withField("name", "\u2066abc\u2069")), 400, "invalid_body"],
    ["zero-width space in name", post(withField("name", "ad\u200Bmin")), 400, "invalid_body"],
    ["zero-width joiner in name", post(withField("name", "a\u200Db")), 400, "invalid_body"],
    ["BOM inside name", post(withField("name", "a\uFEFFb")), 400, "invalid_body"],
    ["Cyrillic homoglyph in userId", post(withField("userId", "\u0430dmin")), 400, "invalid_body"],
    ["fullwidth letters in userId", post(withField("userId", "\uff41\uff42\uff43")), 400, "invalid_body"],
    ["Kelvin sign (NFKC K) in userId", post(withField("userId", "\u212Aelvin")), 400, "invalid_body"],
    ["homoglyph in the email domain", post(withField("email", "a@ex\u0430mple.com")), 400, "invalid_body"],
  ],
  "control characters and CR/LF": [
    ["newline in name", post(withField("name", "a\nb")), 400, "invalid_body"],
    ["CR/LF header injection in email", post(withField("email", "a@b.co\r\nBcc: x@evil.example")), 400, "invalid_body"],
    ["NUL in name", post(withField("name", "a\u0000b")), 400, "invalid_body"],
    ["DEL in name", post(withField("name", "a\u007fb")), 400, "invalid_body"],
    ["C1 NEL in name", post(withField("name", "a\u0085b")), 400, "invalid_body"],
    ["line separator in name", post(withField("name", "a\u2028b")), 400, "invalid_body"],
    ["tab in userId", post(withField("userId", "a\tb")), 400, "invalid_body"],
  ],
  "malformed and overlong emails": [
    ["no @", post(withField("email", "example.com")), 400, "invalid_body"],
    ["two @", post(withField("email", "a@b@example.com")), 400, "invalid_body"],
    ["undotted domain", post(withField("email", "a@localhost")), 400, "invalid_body"],
    ["empty label", post(withField("email", "a@example..com")), 400, "invalid_body"],
    ["trailing dot", post(withField("email", "a@example.com.")), 400, "invalid_body"],
    ["leading dot in local part", post(withField("email", ".a@example.com")), 400, "invalid_body"],
    ["double dot in local part", post(withField("email", "a..b@example.com")), 400, "invalid_body"],
    ["label starting with a hyphen", post(withField("email", "a@-example.com")), 400, "invalid_body"],
    ["label of 64 characters", post(withField("email", `a@${"l".repeat(64)}.com`)), 400, "invalid_body"],
    ["space inside", post(withField("email", "a b@example.com")), 400, "invalid_body"],
    ["quoted local part", post(withField("email", '"a b"@example.com')), 400, "invalid_body"],
    ["IP literal domain", post(withField("email", "a@[127.0.0.1]")), 400, "invalid_body"],
    ["all-numeric top-level domain", post(withField("email", "a@example.123")), 400, "invalid_body"],
    ["non-ASCII local part", post(withField("email", "j\u00fcrgen@example.com")), 400, "invalid_body"],
  ],
  "wrong methods and paths": [
    ["DELETE on the collection", jsonRequest("DELETE", "/users"), 405, "method_not_allowed"],
    ["PATCH on a user", jsonRequest("PATCH", "/users/seed", { name: "x" }), 405, "method_not_allowed"],
    ["POST on a user (would it overwrite?)", jsonRequest("POST", "/users/seed", valid), 405, "method_not_allowed"],
    ["trailing slash", get("/users/"), 404, "not_found"],
    ["extra segment", get("/users/seed/email"), 404, "not_found"],
    ["wrong case", get("/Users"), 404, "not_found"],
    ["path traversal in the id", get("/users/..%2F..%2Fadmin"), 400, "invalid_path"],
    ["encoded space in the id", get("/users/bad%20id"), 400, "invalid_path"],
    ["id of 65 characters", get(`/users/${"a".repeat(65)}`), 400, "invalid_path"],
  ],
  "disallowed origins (requests that skip a CORS preflight)": [
    [
      "cross-origin text/plain POST",
      post(json(valid), "text/plain", { headers: { "content-type": "text/plain", origin: "https://evil.example" } }),
      415,
      "unsupported_media_type",
    ],
    [
      "cross-origin form POST",
      post("userId=newcomer", "application/x-www-form-urlencoded", {
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "null" },
      }),
      415,
      "unsupported_media_type",
    ],
  ],
  replays: [
    ["replay of an existing create", jsonRequest("POST", "/users", seed), 409, "user_exists"],
    ["same id, other fields", jsonRequest("POST", "/users", { ...seed, name: "Impostor", email: "imp@evil.example" }), 409, "user_exists"],
  ],
  "parameters that try to override body fields": [
    ["userId in the query of a create", { ...jsonRequest("POST", "/users?userId=evil", valid) }, 400, "invalid_query"],
    ["email in the query of a create", { ...jsonRequest("POST", "/users?email=evil%40x.co", valid) }, 400, "invalid_query"],
    ["userId in the query of a read", get("/users/seed?userId=other"), 400, "invalid_query"],
    ["unknown list parameter", get("/users?fields=email"), 400, "invalid_query"],
    ["limit twice", get("/users?limit=1&limit=100"), 400, "invalid_query"],
    ["limit 0", get("/users?limit=0"), 400, "invalid_query"],
    ["negative limit", get("/users?limit=-1"), 400, "invalid_query"],
    ["limit over the maximum", get("/users?limit=101"), 400, "invalid_query"],
    ["limit in exponent form", get("/users?limit=1e2"), 400, "invalid_query"],
    ["limit with a leading zero", get("/users?limit=05"), 400, "invalid_query"],
    ["limit not a number", get("/users?limit=abc"), 400, "invalid_query"],
    ["empty limit", get("/users?limit="), 400, "invalid_query"],
    ["cursor of junk", get("/users?cursor=%%%"), 400, "invalid_query"],
    ["cursor with padding", get(`/users?cursor=${encodeCursor("seed")}%3D%3D`), 400, "invalid_query"],
    ["cursor of valid base64url but not ours", get(`/users?cursor=${Buffer.from('{"x":1}').toString("base64url")}`), 400, "invalid_query"],
    ["cursor naming an invalid id", get(`/users?cursor=${Buffer.from('{"after":"a b"}').toString("base64url")}`), 400, "invalid_query"],
    [
      "cursor with an extra key",
      get(`/users?cursor=${Buffer.from('{"after":"seed","k":{"S":"x"}}').toString("base64url")}`),
      400,
      "invalid_query",
    ],
  ],
};

const allCases = Object.entries(cases).flatMap(([category, list]) =>
  list.map(([description, spec, status, code]) => ({ category, description, spec, status, code })),
);

test("the suite covers at least 50 cases", () => {
  expect(allCases.length).toBeGreaterThanOrEqual(50);
});

describe.each(Object.keys(cases))("%s", (category) => {
  test.each(allCases.filter((c) => c.category === category))("$description -> $status $code", async ({ spec, status, code }) => {
    const before = await table.items();
    const answer = await invoke(spec);
    expect(answer.status).toBe(status);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(answer.json).toEqual({
      error: expect.objectContaining({ code, message: expect.any(String), requestId: answer.event.requestContext.requestId }),
    });
    if (status === 400 && /^invalid_(body|query|path)$/.test(code)) {
      expect(Object.keys(answer.json.error.fields).length).toBeGreaterThan(0);
    }
    if (status === 405) expect(answer.headers.allow).toMatch(/^[A-Z, ]+$/);
    expect(await table.items()).toEqual(before);
  });
});

test("a field error lists every offending field", async () => {
  const answer = await invoke(post(json({ userId: " x", name: "", phone: "1", email: "no" })));
  expect(answer.status).toBe(400);
  expect(Object.keys(answer.json.error.fields).sort()).toEqual(["email", "name", "phone", "userId"]);
});
