/** One stage, one region: a changed aws_region for a deployed stage is refused before anything runs. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { runDestroy } from "../../scripts/deploy/destroy.js";
import { runDiff } from "../../scripts/deploy/diff.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { ACCOUNT } from "./support/aws-stub.js";
import { type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
let east: string;
let west: string;
beforeEach(() => {
  fx = freshFixture(stub);
  for (const suffix of ["", "-qa"]) {
    fx.setOutputs(`registry${suffix}`, {
      repository_url: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/backend-api${suffix}`,
      repository_name: `backend-api${suffix}`,
    });
    fx.setOutputs(`app${suffix}`, { web_url: "https://d1.cloudfront.net", api_url: "https://a.example" });
  }
  east = fx.writeConfig({ aws_region: "us-east-1", table_deletion_protection: false });
  west = join(fx.root, "..", "west.json");
  writeFileSync(west, JSON.stringify({ aws_region: "eu-west-1", table_deletion_protection: false }));
});
afterEach(() => fx.cleanup());

const target = () => join(fx.root, ".deploy", "dev.target.json");
const callsAfter = (n: number) => fx.calls().slice(n);

describe("a deployed stage keeps its region", () => {
  it("the first deploy records the stage's region and account in .deploy/<stage>.target.json", async () => {
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: east } }));
    expect(JSON.parse(readFileSync(target(), "utf8"))).toEqual({
      stage: "dev",
      region: "us-east-1",
      account: ACCOUNT,
      since: expect.any(String),
    });
  });

  it("deploy refuses another region before any tool or AWS call, saying how to move the stage or add another", async () => {
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: east } }));
    const before = fx.calls().length;
    stub.calls = [];
    await expect(runDeploy(fx.options({ yes: true, env: { APP_CONFIG: west } }))).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toContain("✘ check the stage's region");
    expect(out).toContain(
      'stage "dev" is deployed in us-east-1 (recorded in .deploy/dev.target.json), but the config says aws_region eu-west-1.',
    );
    expect(out).toContain("leave the stacks in us-east-1 running, and billing, with no state that refers to them");
    expect(out).toContain(
      "next: to move the stage: set aws_region back to us-east-1, run npm run destroy, then set eu-west-1 and deploy again. To run a copy in eu-west-1 as well: deploy it as another stage (--stage <name>).",
    );
    expect(callsAfter(before)).toEqual([]);
    expect(stub.calls).toEqual([]);
  });

  it("a first deploy that failed half-way still holds the region", async () => {
    fx.flag("app.plan-error", "boom");
    await expect(runDeploy(fx.options({ yes: true, env: { APP_CONFIG: east } }))).rejects.toBeInstanceOf(DeployFailed);
    expect(existsSync(join(fx.root, ".deploy", "dev.json"))).toBe(false);
    await expect(runDeploy(fx.options({ yes: true, env: { APP_CONFIG: west } }))).rejects.toThrow(/check the stage's region/);
  });

  it("a record from an earlier deploy (no target file) counts as well", async () => {
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: east } }));
    writeFileSync(target(), "");
    await expect(runDeploy(fx.options({ yes: true, env: { APP_CONFIG: west } }))).rejects.toThrow(/recorded in \.deploy\/dev\.json/);
  });

  it("diff and destroy refuse too (destroy would find nothing in the other region and delete nothing)", async () => {
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: east } }));
    const before = fx.calls().length;
    await expect(runDiff(fx.options({ env: { APP_CONFIG: west } }))).rejects.toThrow(/check the stage's region/);
    await expect(runDestroy(fx.options({ yes: true, env: { APP_CONFIG: west } }))).rejects.toThrow(/check the stage's region/);
    expect(fx.printed()).toContain(
      "next: set aws_region back to us-east-1 (or point APP_CONFIG at the config the stage was deployed with), then re-run npm run destroy",
    );
    expect(callsAfter(before)).toEqual([]);
  });

  it("another stage may go to another region; after a destroy the stage may move", async () => {
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: east } }));
    await runDeploy(fx.options({ yes: true, stage: "qa", env: { APP_CONFIG: west } }));
    expect(JSON.parse(readFileSync(join(fx.root, ".deploy", "qa.target.json"), "utf8")).region).toBe("eu-west-1");
    await runDestroy(fx.options({ yes: true, env: { APP_CONFIG: east } }));
    expect(existsSync(target())).toBe(false);
    fx.flag("registry.plan", "2"); // the destroyed stacks have changes again
    fx.flag("app.plan", "2");
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: west } }));
    expect(JSON.parse(readFileSync(target(), "utf8")).region).toBe("eu-west-1");
  });
});
