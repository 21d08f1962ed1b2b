/**
 * The post-deploy smoke check against a local HTTP server standing in for the stage (the app
 * stack's api_url and web_url outputs point at it): which part failed, retries, the deadline.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { smokeCheck } from "../../scripts/deploy/smoke-check.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

type Answer = { status: number; type?: string; body: string };
/** Per path: the answers in order (the last one repeats). */
let answers: Record<string, Answer[]> = {};
let requests: string[] = [];
let server: Server;
let base = "";

const json = (status: number, value: unknown): Answer => ({ status, type: "application/json", body: JSON.stringify(value) });
const healthy = (): Record<string, Answer[]> => ({
  "/api/health": [json(200, { status: "ok" })],
  "/api/users?limit=1": [json(200, { items: [], nextCursor: null })],
  "/web/config.json": [json(200, { apiUrl: `${base}/api` })],
});

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const queue = answers[req.url ?? ""];
    const answer = queue ? (queue.length > 1 ? queue.shift()! : queue[0]!) : { status: 404, type: "text/plain", body: "not found" };
    res.writeHead(answer.status, { "content-type": answer.type ?? "text/html" });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const stub = useAwsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
  answers = healthy();
  requests = [];
  fx.setOutputs("registry", { repository_url: "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend-api", repository_name: "backend-api" });
  fx.setOutputs("app", { api_url: `${base}/api`, web_url: `${base}/web`, table_name: "users" });
});
afterEach(() => fx.cleanup());

const FAST = { deadlineMs: 1500, intervalMs: 50, requestTimeoutMs: 2000 };
// For the cases that expect a failure: the failing part retries until the deadline, so a short one
// keeps them from idling 1.5 s each; every part is still tried at least once (smokeCheck).
const GIVE_UP_SOON = { ...FAST, deadlineMs: 200 };
const deploy = (extra = {}) => runDeploy(fx.options({ yes: true, skipSmoke: false, smoke: FAST, ...extra }));
const deployFailing = (extra = {}) => deploy({ smoke: GIVE_UP_SOON, ...extra });

describe("post-deploy smoke check", () => {
  it("runs after the app stack: /health and /users?limit=1 on the API, /config.json through the web URL", async () => {
    await deploy();
    expect(requests).toEqual(["/api/health", "/api/users?limit=1", "/web/config.json"]);
    const out = fx.printed();
    expect(out).toMatch(/✔ smoke check the deployed stage \([\d.]+ s\) API and web app answer/);
    expect(out.indexOf("✔ smoke check")).toBeGreaterThan(out.indexOf("✔ terraform apply app"));
  });

  it("retries until the part answers (a cold start, CloudFront's first fetch)", async () => {
    answers["/api/health"] = [
      json(503, { message: "Service Unavailable" }),
      json(503, { message: "Service Unavailable" }),
      json(200, { status: "ok" }),
    ];
    await deploy();
    expect(requests.filter((r) => r === "/api/health")).toHaveLength(3);
    expect(fx.printed()).toContain('… API GET /health: answered 503: "{\\"message\\":\\"Service Unavailable\\"}"; retrying');
  });

  it("a failing part is named, the others reported, and the stage is left as it is", async () => {
    answers["/api/users?limit=1"] = [json(500, { message: "Internal Server Error" })];
    await expect(deployFailing()).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toMatch(/✘ smoke check the deployed stage failed after [\d.]+ s:/);
    expect(out).toContain(`✔ API GET /health (${base}/api/health)`);
    expect(out).toMatch(/✘ API GET \/users\?limit=1 \(function reads the table\) \(.*\) failed after \d+ attempt\(s\): answered 500/);
    expect(out).toContain(`✔ web GET /config.json through CloudFront (${base}/web/config.json)`);
    expect(out).toContain("next: the stage is deployed and left as it is (outputs in .deploy/dev.json). Check the function's logs");
    expect(existsSync(join(fx.root, ".deploy", "dev.json"))).toBe(true);
    // Nothing ran after the failure: no destroy, no second apply.
    expect(fx.calls().filter((c) => c.tool === "terraform" && ["destroy", "apply"].includes(c.args[1]!))).toHaveLength(2);
  });

  it("an HTML page where config.json should be (a catch-all fallback) fails the web part", async () => {
    answers["/web/config.json"] = [{ status: 200, type: "text/html", body: "<!doctype html><html>" }];
    await expect(deployFailing()).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toMatch(
      /✘ web GET \/config\.json through CloudFront .* answered 200 but not \{"apiUrl": …\} \(content-type text\/html\)/,
    );
    expect(fx.printed()).toContain("Check the CloudFront distribution and the web bucket's objects");
  });

  it("a config.json naming another API fails the web part", async () => {
    answers["/web/config.json"] = [json(200, { apiUrl: "https://old-api.example.com" })];
    await expect(deployFailing()).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain(`names the API https://old-api.example.com, not this stage's ${base}/api`);
  });

  it("--skip-smoke turns it off", async () => {
    answers = {};
    await runDeploy(fx.options({ yes: true, skipSmoke: true }));
    expect(requests).toEqual([]);
    expect(fx.printed()).toContain("- smoke check the deployed stage: skipped (--skip-smoke)");
  });

  it("with sign-in, GET /users without a token must be the authorizer's 401, and config.json must carry the auth settings", async () => {
    const signIn = fx.writeConfig({ auth: "cognito" });
    const deploySignedIn = () => deploy({ env: { APP_CONFIG: signIn } });
    const deploySignedInFailing = () => deployFailing({ env: { APP_CONFIG: signIn } });
    const auth = { clientId: "client", issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x" };
    answers["/api/users?limit=1"] = [json(401, { message: "Unauthorized" })];
    answers["/web/config.json"] = [json(200, { apiUrl: `${base}/api`, auth })];
    await deploySignedIn();
    expect(fx.printed()).toMatch(/✔ smoke check the deployed stage/);

    // A route that answers without a token is not guarded: the deploy says so.
    answers = healthy();
    answers["/web/config.json"] = [json(200, { apiUrl: `${base}/api`, auth })];
    await expect(deploySignedInFailing()).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toMatch(
      /✘ API GET \/users\?limit=1 without a token is refused \(JWT authorizer\) .* answered 200 without a token: the route is not guarded/,
    );

    answers["/api/users?limit=1"] = [json(401, { message: "Unauthorized" })];
    answers["/web/config.json"] = [json(200, { apiUrl: `${base}/api` })];
    await expect(deploySignedInFailing()).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain('has no sign-in settings ("auth")');
  });

  it("gives up at the deadline: the first part retried until then, one attempt each for the rest", async () => {
    const started = Date.now();
    const results = await smokeCheck(
      { apiUrl: `${base}/gone`, webUrl: `${base}/gone` },
      { deadlineMs: 400, intervalMs: 50, requestTimeoutMs: 200 },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(results.every((r) => r.problem?.startsWith('answered 404: "not found"'))).toBe(true);
    expect(results[0]!.attempts).toBeGreaterThan(1);
    expect(results.slice(1).map((r) => r.attempts)).toEqual([1, 1]);
  });
});
