import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { useRecordingApi } from "./support/recording-api.js";

const api = useRecordingApi();

/** Sends raw headers (repeated names, exact case) that fetch would merge or refuse. */
function rawRequest(method: string, path: string, headers: [string, string][], body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, api.url);
    // Raw header arrays get no automatic Host or framing headers.
    headers = [["host", url.host], ...headers];
    if (body) headers.push(["content-length", String(body.length)]);
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method, headers: headers.flat() as unknown as Record<string, string> },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("payload 2.0 events filled like API Gateway", () => {
  it("carries the route key, raw path and query, decoded parameters and the $default stage", async () => {
    await fetch(`${api.url}/users/al%20ice?limit=5&tag=a&tag=b%20c`);
    const [event] = api.events;
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "GET /users/{userId}",
      rawPath: "/users/al%20ice",
      rawQueryString: "limit=5&tag=a&tag=b%20c",
      pathParameters: { userId: "al ice" },
      queryStringParameters: { limit: "5", tag: "a,b c" },
      isBase64Encoded: false,
      requestContext: { routeKey: "GET /users/{userId}", stage: "$default", http: { method: "GET", protocol: "HTTP/1.1" } },
    });
    expect(event!.body).toBeUndefined();
  });

  it("omits query and path parameters when there are none", async () => {
    await fetch(`${api.url}/health`);
    expect(api.events[0]).not.toHaveProperty("queryStringParameters");
    expect(api.events[0]).not.toHaveProperty("pathParameters");
    expect(api.events[0]).not.toHaveProperty("cookies");
  });

  it("lower-cases header names, comma-joins repeated headers and moves cookies out of the headers", async () => {
    await rawRequest("GET", "/health", [
      ["X-Custom", "one"],
      ["x-custom", "two"],
      ["Cookie", "a=1; b=2"],
      ["Cookie", "c=3"],
    ]);
    const event = api.events[0]!;
    expect(event.headers["x-custom"]).toBe("one,two");
    expect(Object.keys(event.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(event.cookies).toEqual(["a=1", "b=2", "c=3"]);
    expect(event.headers).not.toHaveProperty("cookie");
    expect(event.headers["x-forwarded-for"]).toBe(event.requestContext.http.sourceIp);
  });

  it("gives every request its own request id and the receive time in epoch milliseconds", async () => {
    const before = Date.now();
    await Promise.all([fetch(`${api.url}/health`), fetch(`${api.url}/health`), fetch(`${api.url}/health`)]);
    const ids = api.events.map((e) => e.requestContext.requestId);
    expect(new Set(ids).size).toBe(3);
    for (const e of api.events) {
      expect(e.requestContext.timeEpoch).toBeGreaterThanOrEqual(before);
      expect(e.requestContext.timeEpoch).toBeLessThanOrEqual(Date.now());
      expect(e.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    }
  });

  it.each([
    ["application/json", false],
    ["application/json; charset=utf-8", false],
    ["text/plain", false],
    ["application/xml", false],
    ["application/javascript", false],
    ["application/x-www-form-urlencoded", true],
    ["application/octet-stream", true],
    ["application/vnd.api+json", true],
    [undefined, true],
  ])("passes a %s body as base64: %s", async (contentType, base64) => {
    const body = Buffer.from('{"name":"Zoë"}');
    await rawRequest("POST", "/users", contentType ? [["content-type", contentType]] : [], body);
    const event = api.events[0]!;
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? body.toString("base64") : '{"name":"Zoë"}');
  });

  it("never decodes a JSON body leniently: bytes that are not UTF-8 go over untouched, base64-encoded", async () => {
    const body = Buffer.from([...Buffer.from('{"name":"Jo'), 0xff, 0xfe, ...Buffer.from('"}')]);
    await rawRequest("POST", "/users", [["content-type", "application/json"]], body);
    const event = api.events[0]!;
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(body.toString("base64"));
    expect(event.body).not.toContain("\uFFFD");
  });
});
