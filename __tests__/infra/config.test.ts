/**
 * The typed config (stacks/config.ts) and the synth entry point's handling of it: zero config
 * synthesizes; bad config exits non-zero naming each key and writes nothing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runCommand } from "../../scripts/lib/process.js";
import { PROJECT_ROOT } from "../../stacks/app.js";
import { CONFIG_KEYS, loadConfig, parseConfig, stackIds } from "../../stacks/config.js";
import { runCommandInProcess } from "../support/command-in-process.js";

/** The CLI that `cdktf deploy` users run: cdktf's, or cdktn's after the switch (docs/cdk-terrain.md). */
const CLI = ["cdktf", "cdktn"].map((name) => join(PROJECT_ROOT, "node_modules/.bin", name)).find((path) => existsSync(path)) ?? "cdktf";

function problemsOf(raw: unknown) {
  const result = parseConfig(raw);
  if (result.ok) throw new Error("expected the config to be refused");
  return result.problems;
}

/** Every file under dir with its contents, to prove a failed synth changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[path.slice(dir.length)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

describe("parseConfig", () => {
  test("no config at all gives the documented defaults", () => {
    const result = parseConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      aws_region: "us-east-1",
      stage: "dev",
      lambda_memory: 256,
      lambda_architecture: "arm64",
      lambda_timeout: 5,
      table_hash_key: "UserId",
      vpc_deploy: true,
      vpc_cidr: "10.50.0.0/16",
      cloudfront_price_class: "PriceClass_100",
      table_deletion_protection: true,
      auth: "none",
      isDefaultStage: true,
    });
    expect(result.config.domain).toBeUndefined();
    expect(result.config.frontend_bucket_name).toBeUndefined();
  });

  test.each([
    ["an unknown key", { lamda_memory: 512 }, "lamda_memory", /not a known key \(did you mean "lambda_memory"\?\)/],
    ["a wrong type", { lambda_memory: "256" }, "lambda_memory", /must be a number/],
    ["an architecture Lambda does not run", { lambda_architecture: "sparc" }, "lambda_architecture", /"arm64" or "x86_64"/],
    ["memory 0", { lambda_memory: 0 }, "lambda_memory", /128 to 10240/],
    ["memory above Lambda's maximum", { lambda_memory: 20000 }, "lambda_memory", /128 to 10240/],
    ["a timeout API Gateway never waits for", { lambda_timeout: 31 }, "lambda_timeout", /1 to 30 seconds/],
    ["a fractional timeout", { lambda_timeout: 2.5 }, "lambda_timeout", /integer/],
    ["a malformed domain", { domain: "not a domain" }, "domain", /DNS name/],
    ["an upper-case domain", { domain: "Example.COM" }, "domain", /lower-case/],
    ["a malformed CIDR", { vpc_cidr: "10.50.0.0" }, "vpc_cidr", /CIDR/],
    ["a CIDR too small for four subnets", { vpc_cidr: "10.50.0.0/24" }, "vpc_cidr", /\/16 to \/20/],
    ["a CIDR with a bad address", { vpc_cidr: "10.500.0.0/16" }, "vpc_cidr", /CIDR/],
    ["an unsupported log retention", { logs_retention: 10 }, "logs_retention", /retention periods/],
    ["a bad bucket name", { frontend_bucket_name: "My_Bucket" }, "frontend_bucket_name", /bucket name/],
    ["a bad stage", { stage: "Prod!" }, "stage", /a-z/],
    ["a bad region", { aws_region: "moon-1" }, "aws_region", /AWS region/],
    ["a sign-in provider we do not build", { auth: "okta" }, "auth", /must be "none" or "cognito"/],
    [
      "a web app on the login pages' name",
      { auth: "cognito", domain: "example.com", frontend_subdomain: "auth" },
      "frontend_subdomain",
      /must not be "auth" with auth: "cognito"/,
    ],
    [
      "an API on the login pages' name",
      { auth: "cognito", domain: "example.com", backend_subdomain: "auth" },
      "backend_subdomain",
      /must not be "auth"/,
    ],
    [
      "a login domain prefix with a word Cognito reserves",
      { auth: "cognito", project_name: "my-aws-app" },
      "project_name",
      /must not contain "aws"/,
    ],
    [
      "a stage that puts a reserved word in the login domain prefix",
      { auth: "cognito", stage: "cognito" },
      "stage",
      /must not contain "cognito"/,
    ],
    ["a GovCloud region (other ARNs)", { aws_region: "us-gov-west-1" }, "aws_region", /GovCloud and China are not supported/],
    ["a China region (other ARNs)", { aws_region: "cn-north-1" }, "aws_region", /GovCloud and China are not supported/],
    ["an existing VPC without subnets", { vpc_deploy: false, vpc_id: "vpc-0123456789abcdef0" }, "vpc_subnet_ids", /private subnets/],
    [
      "a VPC id while creating a VPC",
      { vpc_id: "vpc-0123456789abcdef0", vpc_subnet_ids: ["subnet-0123456789abcdef0"] },
      "vpc_id",
      /vpc_deploy: false/,
    ],
    ["a hash key not among the attributes", { table_hash_key: "Id" }, "table_hash_key", /table_attributes/],
    // A numeric or binary key deployed, then every request answered 500 (the backend writes strings).
    ["a numeric hash key", { table_attributes: [{ name: "UserId", type: "N" }] }, "table_attributes", /type "S".*every request 500/],
    ["a binary hash key", { table_attributes: [{ name: "Pk", type: "B" }], table_hash_key: "Pk" }, "table_attributes", /type "S"/],
    [
      "an attribute no key uses",
      {
        table_attributes: [
          { name: "UserId", type: "S" },
          { name: "Age", type: "N" },
        ],
      },
      "table_attributes",
      /only the hash key; "Age"/,
    ],
    [
      "a hash key named like an attribute the backend writes",
      { table_attributes: [{ name: "Email", type: "S" }], table_hash_key: "Email" },
      "table_hash_key",
      /backend writes itself/,
    ],
    ["a budget without an e-mail", { budget_monthly_usd: 10 }, "budget_email", /budget_monthly_usd/],
    [
      "a spend stop without a budget",
      { spend_stop: true, alarm_email: "a@example.com" },
      "spend_stop",
      /needs budget_monthly_usd and budget_email/,
    ],
    ["a spend stop that is not a boolean", { spend_stop: "yes" }, "spend_stop", /must be true or false/],
    ["a spend stop whose budget has no address", { spend_stop: true, budget_monthly_usd: 10 }, "budget_email", /budget_monthly_usd/],
    [
      "a project name the spend stop's role pushes past IAM's 64",
      {
        project_name: `p${"x".repeat(23)}`,
        stage: "preview-feature1",
        aws_region: "ap-southeast-2",
        spend_stop: true,
        budget_monthly_usd: 10,
        budget_email: "a@example.com",
      },
      "project_name",
      /at most 21 characters with spend_stop and stage "preview-feature1" in ap-southeast-2 \(the spend stop's IAM role is named "<project_name>-spend-stop-preview-feature1-ap-southeast-2"/,
    ],
    // the API's own e-mail rule (backend/src/user-schema.ts), not a looser copy: printable ASCII only
    ["a non-ASCII alarm e-mail", { alarm_email: "opé@example.com" }, "alarm_email", /e-mail address/],
    [
      "a budget e-mail with a dot-ended local part",
      { budget_monthly_usd: 10, budget_email: "ops.@example.com" },
      "budget_email",
      /e-mail address/,
    ],
    ["a tag that is not a string", { tags: { team: 7 } }, "tags.team", /string/],
    [
      "a function name the stage and region push past IAM's 64",
      { lambda_name: "f".repeat(50), stage: "prod" },
      "lambda_name",
      /at most 49 characters with stage "prod" in us-east-1/,
    ],
    [
      "a function name a longer region pushes past IAM's 64",
      { lambda_name: "f".repeat(50), aws_region: "ap-southeast-2" },
      "lambda_name",
      /at most 49 characters with stage "dev" in ap-southeast-2/,
    ],
    ["a function name ECR cannot take", { lambda_name: "my--api" }, "lambda_name", /ECR repository/],
    ["a function name ending in a separator", { lambda_name: "api_" }, "lambda_name", /start and end with a letter or digit/],
    ["a VPC name too long for the flow-log role", { vpc_name: "v".repeat(42), vpc_flow_logs: true }, "vpc_name", /at most 41 characters/],
  ])("refuses %s, naming the key", (_what, raw, key, rule) => {
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe(key);
    expect(problems[0]!.rule).toMatch(rule);
  });

  test("names exactly at AWS's limits pass; a long VPC name only matters with flow logs", () => {
    for (const raw of [
      { lambda_name: "f".repeat(49), stage: "prod" },
      { lambda_name: "f".repeat(54) },
      { vpc_name: "v".repeat(41), vpc_flow_logs: true },
      { vpc_name: "v".repeat(64) },
      { lambda_name: "Backend_API-2" },
    ]) {
      expect(parseConfig(raw)).toMatchObject({ ok: true });
    }
  });

  test("the sign-in name rules only apply with sign-in, and a custom login domain has no prefix to check", () => {
    expect(parseConfig({ domain: "example.com", frontend_subdomain: "auth" }).ok).toBe(true);
    expect(parseConfig({ project_name: "my-aws-app" }).ok).toBe(true);
    expect(parseConfig({ auth: "cognito", project_name: "my-aws-app", domain: "example.com" }).ok).toBe(true);
  });

  test("reports every problem at once, one per key", () => {
    const problems = problemsOf({ foo: 1, bar: 2, lambda_memory: 0, lambda_architecture: "sparc" });
    expect(problems.map((p) => p.key).sort()).toEqual(["bar", "foo", "lambda_architecture", "lambda_memory"]);
  });

  test("refuses JSON that is not an object", () => {
    expect(problemsOf([1, 2])[0]!.rule).toMatch(/JSON object/);
  });

  test("every key has a row in the configuration table of docs/configuration.md", () => {
    const doc = readFileSync(join(PROJECT_ROOT, "docs", "configuration.md"), "utf8");
    for (const key of CONFIG_KEYS) expect(doc).toContain(`| \`${key}\` |`);
  });

  test("the configuration table of docs/configuration.md has no row for a key the schema does not know", () => {
    const doc = readFileSync(join(PROJECT_ROOT, "docs", "configuration.md"), "utf8");
    const table = doc.slice(doc.indexOf("| key | default |")).split("\n\n")[0]!;
    const rows = table.split("\n").flatMap((line) => /^\| `(\w+)` \|/.exec(line)?.[1] ?? []);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key))).toEqual([]);
  });
});

describe("loadConfig", () => {
  test("reads the file named by APP_CONFIG, and APP_IMAGE_TAG pins the image", () => {
    const file = join(mkdtempSync(join(tmpdir(), "cfg-")), "app.json");
    writeFileSync(file, JSON.stringify({ stage: "qa", domain: "example.org" }));
    const config = loadConfig({ APP_CONFIG: file, APP_IMAGE_TAG: "deadbee" });
    expect(config).toMatchObject({ stage: "qa", domain: "example.org", image_tag: "deadbee", isDefaultStage: false });
    expect(stackIds(config)).toEqual({ registry: "registry-qa", app: "app-qa" });
  });

  test("an unreadable or non-JSON file is one clear problem", () => {
    expect(() => loadConfig({ APP_CONFIG: "/nonexistent/app.json" })).toThrow(/APP_CONFIG: "\/nonexistent\/app.json" cannot be read/);
    const file = join(mkdtempSync(join(tmpdir(), "cfg-")), "app.json");
    writeFileSync(file, "{ nope");
    expect(() => loadConfig({ APP_CONFIG: file })).toThrow(/is not valid JSON/);
  });
});

describe("synthesizing (main.ts, what cdktf.json runs)", () => {
  test("the CLI's synth (`cdktf synth`) with no config writes the registry and app stacks", async () => {
    const work = mkdtempSync(join(tmpdir(), "synth-cli-"));
    const outdir = join(work, "cdktf.out");
    const synth = await runCommand(
      { argv: [CLI, "synth", "--output", outdir] },
      { cwd: PROJECT_ROOT, env: { ...process.env, APP_CONFIG: "", CHECKPOINT_DISABLE: "1", CI: "1" } },
    );
    expect(synth.code, synth.output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["app", "registry"]);
  }, 60_000);

  // main.ts runs in this process here (support/command-in-process.ts); the test above runs it as a process.
  test("bad config exits non-zero, names every bad key, and leaves cdktf.out as it was", async () => {
    const work = mkdtempSync(join(tmpdir(), "synth-bad-"));
    const outdir = join(work, "cdktf.out");
    const good = await runCommandInProcess("main.ts", [], { APP_CONFIG: "", CDKTF_OUTDIR: outdir });
    expect(good.code, good.output).toBe(0);
    const before = snapshot(outdir);
    const file = join(work, "bad.json");
    writeFileSync(file, JSON.stringify({ lambda_architecture: "sparc", lambda_memory: 0, domain: "bad domain", vpc_cidr: "1.2.3.4/33" }));
    const failure = await runCommandInProcess("main.ts", [], { APP_CONFIG: file, CDKTF_OUTDIR: outdir });
    expect(failure.code).toBe(1);
    for (const key of ["lambda_architecture", "lambda_memory", "domain", "vpc_cidr"]) expect(failure.stderr).toContain(`- ${key}:`);
    expect(failure.stderr).not.toMatch(/\bat .+\.ts:\d+/); // a message, not a stack trace
    expect(snapshot(outdir)).toEqual(before);
  }, 30_000);
});
