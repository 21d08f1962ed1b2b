/**
 * `npm run cost -- --worst-case`: every API route at its throttle limit all month. The default
 * config's figure is checked against a bill computed here by hand, from the published prices.
 */
import { describe, expect, it } from "vitest";
import { estimateWorstCase } from "../../scripts/cost/estimate.js";
import { readSynthesizedStacks } from "../../scripts/cost/stacks.js";
import { DEFAULT_TRAFFIC } from "../../scripts/cost/traffic.js";
import { worstCase } from "../../scripts/cost/worst-case.js";
import { runCommandInProcess } from "../support/command-in-process.js";
import { editedCopy, lines, sumUsd, synthConfig } from "./support.js";

const worst = (raw: Record<string, unknown>) => estimateWorstCase(readSynthesizedStacks(synthConfig(raw)), DEFAULT_TRAFFIC);

describe("the worst case with the default config", () => {
  const e = worst({});

  it("reads each route's limit from the stage: 5/s per route by default, 1/s for POST /users; 21/s all month", () => {
    expect(e.worstCase!.routes.map((r) => [r.routeKey, r.requestsPerSecond, r.from]).sort()).toEqual(
      [
        ["GET /health", 5, "stage default"],
        ["GET /users", 5, "stage default"],
        ["GET /users/{userId}", 5, "stage default"],
        ["GET /users/me", 5, "stage default"],
        ["POST /users", 1, "route settings"],
      ].sort(),
    );
    expect(e.worstCase!.requestsPerSecond).toBe(21);
    expect(e.worstCase!.requests).toBe(21 * 730 * 3600); // 55,188,000
  });

  it("matches the bill computed by hand: $124.17 a month", () => {
    const seconds = 730 * 3600; // AWS bills 730 hours a month
    const requests = 21 * seconds;
    // Lambda: $0.20 per 1M requests and $0.0000133334 per GB-s (arm64), after 1M requests and 400,000 GB-s free
    const lambdaRequests = ((requests - 1e6) / 1e6) * 0.2;
    const lambdaDuration = (requests * 0.1 * 0.25 - 400_000) * 0.0000133334;
    // HTTP API: $1.00 per 1M; 2 KB responses = 110 GB: data out is billed on 10 GB over the free 100 GB
    const api = (requests / 1e6) * 1.0 + ((requests * 2) / 1e6 - 100) * 0.09;
    // DynamoDB on demand: POST writes one 1 KB item, and the list index a copy of it (2 WRU, $0.625/1M);
    // GET /users/{id} and GET /users/me read one item strongly consistent (1 RRU); GET /users reads a page of 101 items
    // as 4 shard queries of 26 items (26 KB -> 7 x 4 KB) of the index, eventually consistent: 4 x 7 / 2 = 14 RRU;
    // GET /health reads nothing. $0.125 per 1M RRU.
    const writes = 1 * seconds;
    const reads = (5 * 1 + 5 * 1 + 5 * 14 + 5 * 0) * seconds;
    const dynamo = ((2 * writes) / 1e6) * 0.625 + (reads / 1e6) * 0.125;
    // storage: 2.6 GB of new items, inside the free 25 GB; PITR $0.20 per GB-month on it
    const pitr = (writes / 1e6) * 0.2;
    // CloudWatch Logs: 0.5 KB per request at $0.50/GB; two groups keep 30 days of it, 15% compressed, at $0.03/GB-month
    const ingestGb = (requests * 0.5) / 1e6;
    const logs = ingestGb * 0.5 + ingestGb * (30 / (365.25 / 12)) * 0.15 * 0.03;
    // the web side keeps its profile (100k visits): 100,000 cache-miss GETs at $0.0004/1k; CloudFront inside its free tier
    const s3 = (100_000 / 1000) * 0.0004;
    // ECR: 10 images x 0.1 GB at $0.10/GB-month
    const ecr = 1 * 0.1;
    const byHand = lambdaRequests + lambdaDuration + api + dynamo + pitr + logs + s3 + ecr;

    expect(byHand).toBeCloseTo(124.17, 2);
    expect(e.totalUsd).toBeCloseTo(byHand, 6);
    expect(sumUsd(lines(e, "API Gateway"))).toBeCloseTo(api, 6);
    expect(sumUsd(lines(e, "DynamoDB", "on-demand"))).toBeCloseTo(dynamo, 6);
    expect(lines(e, "DynamoDB", "on-demand reads")[0]!.quantity).toBe(reads);
    expect(sumUsd(lines(e, "Lambda"))).toBeCloseTo(lambdaRequests + lambdaDuration, 6);
  });

  it("the old default (100/s on every route, no lower write limit) would cost over twenty times as much", () => {
    const old = worst({ api_throttling_rate_limit: 100, api_throttling_burst_limit: 200, api_write_rate_limit: 100 });
    expect(old.worstCase!.requestsPerSecond).toBe(500);
    expect(old.totalUsd).toBeGreaterThan(20 * e.totalUsd);
  });
});

describe("the worst case follows the config and the stacks", () => {
  it("raising api_write_rate_limit adds writes (and their storage), not reads", () => {
    const base = worst({});
    const more = worst({ api_write_rate_limit: 3 });
    const quantity = (x: typeof base, item: string) => lines(x, "DynamoDB", item)[0]!.quantity;
    expect(quantity(more, "on-demand writes")).toBe(3 * quantity(base, "on-demand writes"));
    expect(quantity(more, "on-demand reads")).toBe(quantity(base, "on-demand reads"));
  });

  it("a stage without throttling is priced at the account's 10,000 requests/s, with a warning", () => {
    const outdir = editedCopy(synthConfig({}), "app", (json) => {
      const stage = Object.values(json.resource.aws_apigatewayv2_stage!)[0] as Record<string, unknown>;
      delete stage.default_route_settings;
      delete stage.route_settings;
    });
    const warnings: string[] = [];
    expect(worstCase(readSynthesizedStacks(outdir), (w) => warnings.push(w)).requestsPerSecond).toBe(10_000);
    expect(warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/sets no throttle for GET \/users: priced at the account limit/)]),
    );
  });
});

describe("npm run cost -- --worst-case (the command)", () => {
  // scripts/cost.ts (what `npm run cost` starts) in this process: see support/command-in-process.ts.
  const cost = (...args: string[]) => runCommandInProcess("scripts/cost.ts", args);

  it("prints the routes' limits and the monthly ceiling", async () => {
    const run = await cost("--outdir", synthConfig({}), "--worst-case");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Worst case: every API route at its throttle limit all month: .*POST \/users 1\/s.* = 21 requests\/s x 2,628,000 s = 55\.19M requests$/m,
    );
    expect(run.stdout).toMatch(/^Total \$124\.17 \/ month/m);
  });

  it("refuses --requests with --worst-case (exit 2), before pricing anything", async () => {
    const run = await cost("--outdir", synthConfig({}), "--worst-case", "--requests", "1M");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--worst-case takes the request count from the API's throttle limits; drop --requests");
    expect(run.stdout).toBe("");
  });
});
