/**
 * The account checks run before anything changes: Lambda quotas (GetAccountSettings), Budgets
 * access with budget keys, the domain's public NS delegation with a domain. Driven through the
 * deploy with the local AWS stub and a local DNS server.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROUTE_KEYS } from "../../backend/src/routes.js";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { compareDelegation } from "../../scripts/deploy/dns-delegation.js";
import { assessLambdaQuotas } from "../../scripts/deploy/lambda-quotas.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { useDnsStub } from "./support/dns-stub.js";
import { type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
const dns = useDnsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
  dns.stub.nameServers = {};
  fx.flag("registry.plan-error", "stop here"); // every case ends at the first plan, or before it
});
afterEach(() => fx.cleanup());

const deploy = (config: Record<string, unknown>) =>
  runDeploy(fx.options({ yes: true, env: { APP_CONFIG: fx.writeConfig(config), DEPLOY_DNS_SERVERS: dns.server() } }));

/** Refused at an account check: nothing was synthesized, planned or built. */
async function refusedBeforeAnything(config: Record<string, unknown>): Promise<string> {
  await expect(deploy(config)).rejects.toBeInstanceOf(DeployFailed);
  expect(
    fx
      .calls()
      .filter((c) => c.tool !== "terraform" || c.args[0] !== "version")
      .filter((c) => !["info", "buildx"].includes(c.args[0]!)),
  ).toEqual([]);
  return fx.printed();
}

/** Passed the account checks: went on to the synth and the registry plan (which the fixture stops). */
async function passedTheChecks(config: Record<string, unknown>): Promise<string> {
  await expect(deploy(config)).rejects.toBeInstanceOf(DeployFailed);
  expect(fx.calls().some((c) => c.tool === "synth")).toBe(true);
  expect(fx.printed()).toContain("✘ terraform plan registry failed");
  return fx.printed();
}

/** Routes without settings of their own (every route but POST /users). */
const READ_ROUTES = ROUTE_KEYS.filter((k) => !k.startsWith("POST ")).length;
/** The config's throttle defaults (stacks/config.ts). */
const throttles = { api_throttling_rate_limit: 5, api_throttling_burst_limit: 10, api_write_rate_limit: 1, api_write_burst_limit: 5 };

describe("Lambda quotas", () => {
  it("refuses a reserved concurrency that leaves less than 100 unreserved, naming the most it can be", async () => {
    stub.world.lambdaAccount = { concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000 };
    const out = await refusedBeforeAnything({ lambda_reserved_concurrency: 950 });
    expect(out).toMatch(/✘ check the account's Lambda quotas in us-east-1 failed/);
    expect(out).toContain("lambda_reserved_concurrency 950 would leave 50 unreserved concurrency; Lambda keeps at least 100 unreserved");
    expect(out).toContain("Set it to 900 or less");
    expect(stub.operations()).toContain("lambda:GetAccountSettings");
  });

  it("on a new account with a concurrency quota of 10, says it cannot reserve any", async () => {
    stub.world.lambdaAccount = { concurrentExecutions: 10, unreservedConcurrentExecutions: 10 };
    const out = await refusedBeforeAnything({ lambda_reserved_concurrency: 5, api_throttling_rate_limit: 5 });
    expect(out).toContain("This account cannot reserve any");
  });

  it("counts the function's own reservation as free on a re-deploy", async () => {
    // The function already reserves 850: the account shows only 150 unreserved, yet 850 stays valid.
    stub.world.lambdaAccount = { concurrentExecutions: 1000, unreservedConcurrentExecutions: 150 };
    stub.world.functionReservations = { "backend-api": 850 };
    const out = await passedTheChecks({ lambda_reserved_concurrency: 850 });
    expect(out).toMatch(/✔ check the account's Lambda quotas in us-east-1 .*within the account's quotas/);
  });

  it("refuses memory above 3008 MB on an account with the reduced new-account quotas", async () => {
    stub.world.lambdaAccount = { concurrentExecutions: 10, unreservedConcurrentExecutions: 10 };
    const out = await refusedBeforeAnything({ lambda_memory: 4096, api_throttling_rate_limit: 10 });
    expect(out).toContain("lambda_memory 4096 MB is above 3008 MB");
    expect(out).toContain("Set lambda_memory to 3008 or less");
  });

  it("accepts memory above 3008 MB on an account with the default quotas, and 3008 MB on a new one", async () => {
    await passedTheChecks({ lambda_memory: 4096 });
    fx.cleanup();
    fx = freshFixture(stub);
    fx.flag("registry.plan-error", "stop here");
    stub.world.lambdaAccount = { concurrentExecutions: 10, unreservedConcurrentExecutions: 10 };
    await passedTheChecks({ lambda_memory: 3008, api_throttling_rate_limit: 10 });
  });

  it("warns, and goes on, when the API's throttle is far above the account's concurrency", async () => {
    stub.world.lambdaAccount = { concurrentExecutions: 10, unreservedConcurrentExecutions: 10 };
    const out = await passedTheChecks({ api_throttling_rate_limit: 100 });
    expect(out).toMatch(/✔ check the account's Lambda quotas in us-east-1 .*1 warning\(s\)/);
    expect(out).toContain(
      `! warning: the API's throttles let ${100 * READ_ROUTES + 1} requests/s through (100/s on each of ${READ_ROUTES} routes, 1/s on POST /users), ` +
        `but the function can run only 10 at once (unreserved concurrency, account quota 10): at that rate any request taking longer than ${Math.floor(10_000 / (100 * READ_ROUTES + 1))} ms is throttled and fails.`,
    );
  });

  it("reads the API's ceiling as the sum of its routes' throttles, not api_throttling_rate_limit alone", () => {
    // the defaults: 5/s on each route without settings of its own, 1/s on POST /users (16/s with four routes)
    const ceiling = 5 * READ_ROUTES + 1;
    const config = { ...throttles, lambda_memory: 256, lambda_reserved_concurrency: ceiling - 1 };
    const account = { concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000, currentReservation: 0 };
    const { warnings } = assessLambdaQuotas(config, account);
    expect(warnings).toEqual([
      expect.stringContaining(
        `the API's throttles let ${ceiling} requests/s through (5/s on each of ${READ_ROUTES} routes, 1/s on POST /users)`,
      ),
    ]);
    // api_throttling_rate_limit alone (5) is far below the reservation: only the sum exceeds it
    expect(config.api_throttling_rate_limit).toBeLessThan(config.lambda_reserved_concurrency);
    expect(assessLambdaQuotas({ ...config, lambda_reserved_concurrency: ceiling }, account).warnings).toEqual([]);
  });

  it("assesses from the numbers alone (no warning at the default quota and throttle)", () => {
    const config = { ...throttles, lambda_memory: 256, api_throttling_rate_limit: 100, lambda_reserved_concurrency: undefined };
    expect(assessLambdaQuotas(config, { concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000, currentReservation: 0 })).toEqual(
      { refusals: [], warnings: [] },
    );
    const reserved = assessLambdaQuotas(
      { ...config, lambda_reserved_concurrency: 20 },
      { concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000, currentReservation: 0 },
    );
    expect(reserved.refusals).toEqual([]);
    expect(reserved.warnings[0]).toContain("only 20 at once (lambda_reserved_concurrency)");
  });
});

describe("Budgets access", () => {
  const budget = { budget_monthly_usd: 20, budget_email: "ops@example.com" };

  it("with budget keys and billing access off, stops before anything changes and says how to fix it", async () => {
    stub.world.budgetsAllowed = false;
    const out = await refusedBeforeAnything(budget);
    expect(out).toContain("✘ check access to AWS Budgets (budget_monthly_usd is set) failed");
    expect(out).toContain("this identity may not use AWS Budgets (AccessDenied)");
    expect(out).toContain('"IAM user and role access to Billing information" > Activate');
    expect(out).toContain("or remove budget_monthly_usd and budget_email from the config");
    expect(stub.operations()).toContain("budgets:DescribeBudgets");
  });

  it("with access, goes on", async () => {
    const out = await passedTheChecks(budget);
    expect(out).toMatch(/✔ check access to AWS Budgets .* allowed/);
  });

  it("without budget keys, does not ask Budgets at all", async () => {
    stub.world.budgetsAllowed = false;
    await passedTheChecks({});
    expect(stub.operations().some((o) => o.startsWith("budgets:"))).toBe(false);
  });
});

describe("the domain's NS delegation", () => {
  const zoneNs = ["ns-1536.awsdns-00.co.uk", "ns-0.awsdns-00.com", "ns-1024.awsdns-00.org", "ns-512.awsdns-00.net"];
  beforeEach(() => {
    stub.world.hostedZones = [{ name: "example.com", private: false, nameServers: zoneNs }];
  });

  it("goes on when the public NS records are the hosted zone's name servers", async () => {
    dns.stub.nameServers = { "example.com": [...zoneNs].reverse().map((n) => n.toUpperCase()) };
    const out = await passedTheChecks({ domain: "example.com" });
    expect(out).toMatch(/✔ check that the public DNS delegates example\.com to its hosted zone .*delegation matches the hosted zone/);
    expect(stub.operations()).toContain("route53:GetHostedZone");
    expect(dns.stub.queries).toContain("example.com");
  });

  it("stops when the domain is delegated elsewhere (e.g. an old hosted zone), listing both sets and what to change", async () => {
    dns.stub.nameServers = { "example.com": ["ns-99.awsdns-12.com", "ns-1100.awsdns-13.org"] };
    const out = await refusedBeforeAnything({ domain: "example.com" });
    expect(out).toContain(
      "example.com is delegated to ns-99.awsdns-12.com, ns-1100.awsdns-13.org, but its hosted zone's name servers are ns-1536.awsdns-00.co.uk",
    );
    expect(out).toContain("the apply would wait 75 minutes for the certificate and fail");
    expect(out).toContain(`set the NS records of example.com at its registrar (or in the parent zone) to exactly ${zoneNs.join(", ")}`);
  });

  it("stops when the public DNS does not know the domain at all", async () => {
    const out = await refusedBeforeAnything({ domain: "example.com" });
    expect(out).toContain("example.com is delegated to no name servers");
  });

  it("accepts a registrar that lists some of the zone's servers, refuses one that mixes in another", () => {
    expect(compareDelegation("example.com", zoneNs, zoneNs.slice(0, 2))).toEqual({ ok: true });
    expect(compareDelegation("example.com", zoneNs, [zoneNs[0]!, "ns1.registrar.example"]).ok).toBe(false);
    expect(compareDelegation("example.com", zoneNs, []).ok).toBe(false);
  });
});
