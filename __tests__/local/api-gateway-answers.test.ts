import { describe, expect, it } from "vitest";
import { useRecordingApi, WEB_ORIGIN } from "./support/recording-api.js";

const api = useRecordingApi();

const OTHER_ORIGIN = "https://evil.example";

describe("routes", () => {
  it.each([
    ["GET", "/nope"],
    ["DELETE", "/users/alice"],
    ["PUT", "/users"],
    ["GET", "/users/"],
    ["GET", "/users/alice/extra"],
    ["HEAD", "/health"],
  ])("%s %s is the gateway's 404 and never invokes the function", async (method, path) => {
    const response = await fetch(`${api.url}${path}`, { method });
    expect(response.status).toBe(404);
    if (method !== "HEAD") expect(await response.json()).toEqual({ message: "Not Found" });
    expect(response.headers.get("apigw-requestid")).toBeTruthy();
    expect(api.events).toHaveLength(0);
  });

  it("logs each request on one line", async () => {
    api.logLines.length = 0;
    await fetch(`${api.url}/users?limit=1`);
    expect(api.logLines).toHaveLength(1);
    expect(api.logLines[0]).toMatch(/^GET \/users\?limit=1 200 \d+ms GET \/users$/);
  });
});

describe("CORS, answered by the gateway", () => {
  const preflight = (origin: string) =>
    fetch(`${api.url}/users`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });

  it("answers a preflight from the web origin with its CORS headers, without the function", async () => {
    const response = await preflight(WEB_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(response.headers.get("access-control-allow-methods")).toBe("POST,GET,OPTIONS");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(response.headers.get("access-control-max-age")).toBe("3600");
    expect(api.events).toHaveLength(0);
  });

  it("answers a preflight from another origin without any CORS header", async () => {
    const response = await preflight(OTHER_ORIGIN);
    expect(response.status).toBe(204);
    expect([...response.headers.keys()].filter((k) => k.startsWith("access-control-"))).toEqual([]);
    expect(api.events).toHaveLength(0);
  });

  it("routes an OPTIONS request that is no preflight like any other (404 here)", async () => {
    expect((await fetch(`${api.url}/users`, { method: "OPTIONS", headers: { origin: WEB_ORIGIN } })).status).toBe(404);
  });

  it("adds allow-origin to answers for the web origin only and drops the function's own CORS headers", async () => {
    api.respond({ statusCode: 200, headers: { "Access-Control-Allow-Origin": "*", "x-kept": "yes" }, body: "{}" });
    const allowed = await fetch(`${api.url}/health`, { headers: { origin: WEB_ORIGIN } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(allowed.headers.get("x-kept")).toBe("yes");
    const other = await fetch(`${api.url}/health`, { headers: { origin: OTHER_ORIGIN } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(api.events).toHaveLength(2);
  });
});

describe("the function's result, mapped back", () => {
  it("takes status, headers, cookies (as set-cookie) and a text body", async () => {
    api.respond({ statusCode: 201, headers: { Location: "/users/a" }, cookies: ["a=1; Path=/", "b=2"], body: '{"ok":true}' });
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/users/a");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2"]);
    expect(await response.text()).toBe('{"ok":true}');
  });

  it("decodes a base64 body to its bytes", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);
    api.respond({
      statusCode: 200,
      headers: { "content-type": "application/octet-stream" },
      body: bytes.toString("base64"),
      isBase64Encoded: true,
    });
    const response = await fetch(`${api.url}/health`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it("turns a result without statusCode into a 200 JSON answer of that value", async () => {
    api.respond({ hello: "world" });
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ hello: "world" });
  });

  it.each([
    [
      "a thrown error",
      () => {
        throw new Error("secret detail");
      },
    ],
    ["an invalid status code", { statusCode: 42 }],
    ["a non-string body", { statusCode: 200, body: { not: "a string" } }],
    ["no result", undefined],
  ])("answers the gateway's 500 for %s, without the function's details", async (_, result) => {
    api.respond(result);
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ message: "Internal Server Error" });
    expect(text).not.toContain("secret");
  });

  it("answers 500 when the function outlives its timeout", async () => {
    api.respond(() => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 1500)));
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(500);
  });
});

describe("payload limits, enforced before the function", () => {
  it("answers 413 for a body above 10 MB", async () => {
    const response = await fetch(`${api.url}/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });
    expect(response.status).toBe(413);
    expect(api.events).toHaveLength(0);
  });

  it("passes a body of exactly 10 MB", async () => {
    const response = await fetch(`${api.url}/users`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: Buffer.alloc(10 * 1024 * 1024, 0x61),
    });
    expect(response.status).toBe(200);
    expect(api.events[0]!.body).toHaveLength(10 * 1024 * 1024);
  });

  it("answers 431 when the request line and headers pass 10,240 bytes", async () => {
    const response = await fetch(`${api.url}/health`, { headers: { "x-big": "a".repeat(10_300) } });
    expect(response.status).toBe(431);
    expect(api.events).toHaveLength(0);
  });

  it("passes headers well under the limit", async () => {
    const response = await fetch(`${api.url}/health`, { headers: { "x-big": "a".repeat(9_000) } });
    expect(response.status).toBe(200);
  });
});
