/** npm run diff: a plan per stack, upstream first; a stack with an undeployed upstream is reported, not planned. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { DIFF_FLAGS, DIFF_USAGE, diffExitCode, differingStacks, EXIT_DIFFERS, runDiff } from "../../scripts/deploy/diff.js";
import { runCli } from "../../scripts/lib/cli.js";
import { ACCOUNT } from "./support/aws-stub.js";
import { contentTag, type Fixture, freshFixture, setDeployedOutputs, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
  setDeployedOutputs(fx);
});
afterEach(() => fx.cleanup());

const plans = () =>
  fx
    .calls()
    .filter((c) => c.tool === "terraform" && c.args[1] === "plan")
    .map((c) => c.args[0]);

/** The state bucket exists (e.g. npm run bootstrap-state ran), but nothing is deployed yet. */
const stateBucketOnly = () => {
  stub.world.buckets[`serverless-starter-tfstate-${ACCOUNT}-us-east-1`] = { versioning: true };
};

describe("npm run diff", () => {
  it("with no state bucket in the account says nothing is deployed, and runs no terraform", async () => {
    const result = await runDiff(fx.options());
    expect(result).toEqual({ registry: "not deployed", app: "not deployed" });
    expect(fx.printed()).toContain(
      `has never been deployed with shared state in this account (no bucket serverless-starter-tfstate-${ACCOUNT}-us-east-1)`,
    );
    expect(fx.calls().filter((c) => c.tool === "terraform" && c.args[0] !== "version")).toEqual([]);
  });

  it("before any deploy plans the registry and says the app waits for it, instead of failing", async () => {
    stateBucketOnly();
    const result = await runDiff(fx.options());
    expect(result).toEqual({ registry: "changes", app: "not planned: upstream registry not deployed yet" });
    expect(plans()).toEqual(["-chdir=cdktf.out/stacks/registry"]);
    expect(fx.printed()).toMatch(/- app: not planned: it needs registry .*has no state yet/);
  });

  it("after a deploy plans every stack in order, shows the changes and applies nothing", async () => {
    await runDeploy(fx.options({ yes: true }));
    fx.flag("app.plan", "2");
    const before = fx.calls().length;
    const result = await runDiff(fx.options());
    expect(result).toEqual({ registry: "no changes", app: "changes" });
    const calls = fx.calls().slice(before);
    expect(calls.filter((c) => c.args[1] === "plan").map((c) => c.args[0])).toEqual([
      "-chdir=cdktf.out/stacks/registry",
      "-chdir=cdktf.out/stacks/app",
    ]);
    expect(calls.some((c) => c.args[1] === "apply" || c.args[0] === "push")).toBe(false);
    expect(fx.printed()).toContain("    + aws_thing.example");
    // the web app is built before the synth, as the deploy does: without web/dist the plan would delete every web file
    const web = calls.findIndex((c) => c.tool === "npm" && c.args.join(" ") === "run build:web");
    const synth = calls.findIndex((c) => c.tool === "synth");
    expect(web).toBeGreaterThanOrEqual(0);
    expect(web).toBeLessThan(synth);
  });

  it("plans the app against the last deployed image, or APP_IMAGE_TAG when given", async () => {
    await runDeploy(fx.options({ yes: true }));
    let before = fx.calls().length;
    await runDiff(fx.options());
    expect(
      fx
        .calls()
        .slice(before)
        .find((c) => c.tool === "synth")!.args[0],
    ).toBe(`APP_IMAGE_TAG=${contentTag(fx.root)}`);
    before = fx.calls().length;
    await runDiff(fx.options({ env: { APP_IMAGE_TAG: "v42-arm64" } }));
    expect(
      fx
        .calls()
        .slice(before)
        .find((c) => c.tool === "synth")!.args[0],
    ).toBe("APP_IMAGE_TAG=v42-arm64");
  });
});

describe("npm run diff, state errors", () => {
  it("fails clearly when the state cannot be read (not the same as no state yet)", async () => {
    stateBucketOnly();
    fx.flag("registry.state-error", "Failed to load state: AccessDenied");
    await expect(runDiff(fx.options())).rejects.toThrow(/read the state of registry failed/);
    expect(fx.printed()).toContain("| Error: Failed to load state: AccessDenied");
    expect(plans()).toEqual([]);
  });

  it("warns about every resource the plan replaces, and says which ones npm run deploy refuses; leaves no plan file", async () => {
    await runDeploy(fx.options({ yes: true }));
    fx.flag("app.plan", "2");
    const resourceChange = (address: string, actions: string[], before: object, replace_paths: string[][]) => ({
      address,
      type: address.split(".")[0],
      change: { actions, before, after: before, replace_paths },
    });
    fx.flag(
      "app.show.json",
      JSON.stringify({
        format_version: "1.2",
        resource_changes: [
          resourceChange("aws_dynamodb_table.table_43360BC0", ["delete", "create"], { name: "users" }, [["hash_key"]]),
          resourceChange("aws_cloudwatch_log_group.api_access_logs_41BCBE58", ["create", "delete"], { name: "/aws/x" }, [["name"]]),
          resourceChange("aws_s3_object.web_assets_config_json_1", ["update"], {}, []),
          resourceChange("aws_cognito_user_pool.users_pool_1", ["delete"], { name: "starter-users", deletion_protection: "ACTIVE" }, []),
        ],
      }),
    );
    const dir = join(fx.root, "cdktf.out", "stacks", "app");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "tfplan-diff"), "plan"); // where terraform plan -out would have put it
    const before = fx.calls().length;
    await runDiff(fx.options());
    const out = fx.printed();
    expect(out).toContain(
      "⚠ app: the plan REPLACES aws_dynamodb_table.table_43360BC0 users (forced by a change of hash_key): delete + create, not an update. " +
        "npm run deploy refuses this (the DynamoDB table): keep table_name and table_hash_key as deployed.",
    );
    expect(out).toContain(
      "⚠ app: the plan REPLACES aws_cloudwatch_log_group.api_access_logs_41BCBE58 /aws/x (forced by a change of name): delete + create, not an update\n",
    );
    expect(out).toContain(
      "⚠ app: the plan DELETES the Cognito user pool starter-users (aws_cognito_user_pool.users_pool_1), whose deletion protection is on. " +
        'npm run deploy refuses this: keep auth: "cognito" as deployed.',
    );
    expect(out).not.toContain("web_assets_config_json");
    const shows = fx
      .calls()
      .slice(before)
      .filter((c) => c.args[1] === "show");
    expect(shows.map((c) => c.args.join(" "))).toEqual(["-chdir=cdktf.out/stacks/app show -json -no-color tfplan-diff"]);
    expect(existsSync(join(dir, "tfplan-diff"))).toBe(false);
  });
});

describe("npm run diff -- --exit-code (the drift check)", () => {
  const diffCli = (argv: string[]) =>
    runCli(
      { name: "npm run diff", usage: DIFF_USAGE, options: DIFF_FLAGS },
      async ({ values }) => diffExitCode(await runDiff(fx.options({ stage: values.stage })), values["exit-code"] === true),
      argv,
    );
  afterEach(() => {
    process.exitCode = 0;
  });

  it(`exits ${EXIT_DIFFERS} when a deployed stack differs from the code, 0 when none does`, async () => {
    await runDeploy(fx.options({ yes: true }));
    expect(await diffCli(["--exit-code"])).toBe(0);
    fx.flag("app.plan", "2");
    expect(await diffCli(["--exit-code"])).toBe(EXIT_DIFFERS);
    expect(await diffCli([]), "without the flag a diff with changes still exits 0").toBe(0);
  });

  it("a failed diff is 1, never the drift code", async () => {
    stateBucketOnly();
    fx.flag("registry.state-error", "Failed to load state: AccessDenied");
    expect(await diffCli(["--exit-code"])).toBe(1);
  });

  it("counts an undeployable image as drift, and an upstream-not-deployed stack as not differing by itself", () => {
    expect(differingStacks({ registry: "no changes", app: "not planned: the deployed image v1 is gone from the repository" })).toEqual([
      "app",
    ]);
    expect(differingStacks({ registry: "changes", app: "not planned: upstream registry not deployed yet" })).toEqual(["registry"]);
    expect(diffExitCode({ registry: "no changes", app: "no changes" }, true)).toBe(0);
  });
});
