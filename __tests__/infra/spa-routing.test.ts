/**
 * CloudFront never turns an error into a 200 index.html: client-side routes are rewritten by a
 * viewer-request function, a missing file is S3's 404 (CloudFront may list the bucket), and 403s
 * (WAF blocks, access errors) pass through untouched. The local web server routes the same way.
 */
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, test } from "vitest";
import { isClientRoute, SPA_ROUTING_FUNCTION_CODE } from "../../modules/spa-routing.js";
import { startWebServer, type WebServer } from "../../scripts/local/web-server.js";
import { synthConfig } from "../support/synth-config.js";
import { resources, single } from "../support/tf.js";

/** Runs the function source as CloudFront would: `handler(event)` returning the request. */
function viewerRequest(uri: string): string {
  const handler = runInNewContext(`${SPA_ROUTING_FUNCTION_CODE}; handler`) as (event: unknown) => { uri: string };
  return handler({
    version: "1.0",
    context: { eventType: "viewer-request" },
    viewer: { ip: "192.0.2.1" },
    request: { method: "GET", uri, querystring: {}, headers: {}, cookies: {} },
  }).uri;
}

const ROUTES = ["/", "/users", "/users/42", "/users/42/", "/settings/profile"];
const FILES = ["/index.html", "/config.json", "/assets/index-AbCd1234.js", "/assets/missing-0000.css", "/favicon.ico", "/robots.txt"];

describe("the viewer-request function", () => {
  test("rewrites client-side routes to /index.html and leaves every file path alone", () => {
    for (const uri of ROUTES) expect(viewerRequest(uri), uri).toBe("/index.html");
    for (const uri of FILES) expect(viewerRequest(uri), uri).toBe(uri);
  });

  test("agrees with isClientRoute, which the local server uses", () => {
    for (const uri of [...ROUTES, ...FILES, "/a.b/c", "/users/john.doe"]) {
      expect(viewerRequest(uri) === "/index.html" && uri !== "/index.html", uri).toBe(isClientRoute(uri));
    }
  });
});

describe("the distribution and the bucket", () => {
  const app = synthConfig({}).stacks.app!;
  const distribution = single(app, "aws_cloudfront_distribution");

  test("no error response is turned into a page: 403 and 404 reach the viewer as they are", () => {
    const mappings = [distribution.custom_error_response ?? []].flat();
    expect(mappings.filter((m: { response_code?: number }) => m.response_code === 200)).toEqual([]);
    expect(mappings.filter((m: { error_code: number }) => m.error_code === 403)).toEqual([]);
  });

  test("the routing function runs on viewer requests of the default behaviour", () => {
    const fn = single(app, "aws_cloudfront_function");
    expect(fn).toMatchObject({ runtime: "cloudfront-js-2.0", publish: true, code: SPA_ROUTING_FUNCTION_CODE });
    expect(distribution.default_cache_behavior.function_association).toEqual([
      { event_type: "viewer-request", function_arn: expect.stringMatching(/^\$\{aws_cloudfront_function\.[^}]+\.arn\}$/) },
    ]);
    expect(distribution.default_root_object).toBe("index.html");
  });

  test("CloudFront may list the bucket (so S3 answers a missing key 404, not 403), for this distribution only", () => {
    const policy = JSON.parse(single(app, "aws_s3_bucket_policy").policy);
    const list = policy.Statement.filter((s: { Action: string | string[] }) => [s.Action].flat().includes("s3:ListBucket"));
    expect(list).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Resource: expect.stringMatching(/^\$\{aws_s3_bucket\.[^}]+\.arn\}$/),
        Condition: { StringEquals: { "AWS:SourceArn": expect.stringMatching(/aws_cloudfront_distribution\.[^}]+\.arn/) } },
      }),
    ]);
  });

  test("the function's name is account-wide, so it carries the region and fits 64 characters", () => {
    expect(single(app, "aws_cloudfront_function").name).toBe("serverless-starter-web-us-east-1-spa");
    const longest = synthConfig({ project_name: "p".repeat(24), stage: "s".repeat(16), aws_region: "ap-southeast-2" }).stacks;
    const app2 = Object.values(longest).find((s) => resources(s, "aws_cloudfront_function").length)!;
    expect(single(app2, "aws_cloudfront_function").name.length).toBeLessThanOrEqual(64);
  });
});

describe("the local web server routes as CloudFront does", () => {
  let server: WebServer | undefined;
  afterAll(async () => server?.close());

  test("a missing asset is 404, a client-side route is the app's index.html", async () => {
    server = await startWebServer({ port: 0, apiUrl: () => "http://127.0.0.1:1" });
    const missing = await fetch(`${server.url}/assets/missing-0000.js`, { headers: { accept: "*/*" } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).not.toMatch(/html/);
    const route = await fetch(`${server.url}/users/42`, { headers: { accept: "text/html" } });
    expect(route.status).toBe(200);
    expect(await route.text()).toMatch(/<!doctype html>/i);
    const config = await fetch(`${server.url}/config.json`);
    expect(await config.json()).toEqual({ apiUrl: "http://127.0.0.1:1" });
  }, 30_000);
});
