/**
 * A plan that would replace the ECR repository (registry stack) or the DynamoDB table (app stack)
 * is refused before apply, with what to do instead.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { findReplacements } from "../../scripts/deploy/replacement-guard.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { type Fixture, freshFixture, setDeployedOutputs, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
  setDeployedOutputs(fx);
});
afterEach(() => fx.cleanup());

const change = (type: string, actions: string[], before: object | null, after: object | null, replace_paths?: string[][]) => ({
  address: `${type}.ecr_repository_8B2A1D3C`,
  type,
  change: { actions, before, after, ...(replace_paths ? { replace_paths } : {}) },
});
const plan = (...changes: object[]) => JSON.stringify({ format_version: "1.2", resource_changes: changes });
const applies = () =>
  fx
    .calls()
    .filter((c) => c.tool === "terraform" && c.args[1] === "apply")
    .map((c) => c.args[0]);

describe("repository replacement", () => {
  it("a renamed repository (lambda_name) is refused before apply, with one message saying what to do", async () => {
    fx.flag(
      "registry.show.json",
      plan(change("aws_ecr_repository", ["delete", "create"], { name: "backend-api" }, { name: "orders-api" }, [["name"]])),
    );
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toContain("✘ check that the plan of registry replaces no ECR repository");
    expect(out).toContain(
      "the plan replaces the ECR repository backend-api -> orders-api: aws_ecr_repository.ecr_repository_8B2A1D3C (forced by a change of name).",
    );
    expect(out).toContain("RepositoryNotEmptyException");
    expect(out).toMatch(
      /next: keep the repository's settings as deployed \(lambda_name names it\)\. To really move to a new repository: npm run destroy/,
    );
    expect(applies()).toEqual([]);
    expect(fx.calls().some((c) => c.args[0] === "push")).toBe(false);
    // No image call; only the look for a repository that exists without state, before anything changed.
    expect(stub.operations().filter((o) => o.startsWith("ecr:"))).toEqual(["ecr:DescribeRepositories"]);
  });

  it("removes the refused plan file, so a hand-run apply cannot carry it out", async () => {
    const dir = join(fx.root, "cdktf.out", "stacks", "registry");
    mkdirSync(dir, { recursive: true });
    fx.flag(
      "registry.show.json",
      plan(change("aws_ecr_repository", ["create", "delete"], { name: "a" }, { name: "a" }, [["encryption_configuration"]])),
    );
    // the fake plan writes no file: put one where terraform would have
    const planFile = join(dir, "tfplan");
    const original = fx.options({ yes: true });
    writeFileSync(planFile, "plan");
    await expect(runDeploy(original)).rejects.toThrow(/replaces no ECR repository/);
    expect(fx.printed()).toContain("(forced by a change of encryption_configuration)");
    expect(existsSync(planFile)).toBe(false);
  });

  it("an in-place change of the repository (e.g. tags) and changes to other resources apply", async () => {
    fx.flag(
      "registry.show.json",
      plan(
        change("aws_ecr_repository", ["update"], { name: "backend-api" }, { name: "backend-api" }),
        change("aws_budgets_budget", ["delete", "create"], {}, {}),
      ),
    );
    await runDeploy(fx.options({ yes: true }));
    expect(applies()).toEqual(["-chdir=cdktf.out/stacks/registry", "-chdir=cdktf.out/stacks/app"]);
  });

  it("a plan without changes is not inspected", async () => {
    await runDeploy(fx.options({ yes: true }));
    const before = fx.calls().length;
    await runDeploy(fx.options({ yes: true })); // the fake's plans now report no changes
    expect(
      fx
        .calls()
        .slice(before)
        .filter((c) => c.args[1] === "show"),
    ).toEqual([]);
    // the first deploy inspected both stacks' plans (registry and app)
    expect(
      fx
        .calls()
        .slice(0, before)
        .filter((c) => c.args[1] === "show")
        .map((c) => c.args[0]),
    ).toEqual(["-chdir=cdktf.out/stacks/registry", "-chdir=cdktf.out/stacks/app"]);
  });

  it("findReplacements reads both replacement orders and ignores creates, deletes and updates", () => {
    const found = findReplacements(
      plan(
        change("aws_ecr_repository", ["create"], null, { name: "x" }),
        change("aws_ecr_repository", ["delete"], { name: "x" }, null),
        change("aws_ecr_repository", ["create", "delete"], { name: "x" }, { name: "x" }),
      ),
    );
    expect(found).toEqual([
      { address: "aws_ecr_repository.ecr_repository_8B2A1D3C", type: "aws_ecr_repository", because: [], before: "x", after: "x" },
    ]);
  });
});

describe("table replacement", () => {
  const table = (actions: string[], before: object | null, after: object | null, replace_paths?: string[][]) => ({
    address: "aws_dynamodb_table.table_43360BC0",
    type: "aws_dynamodb_table",
    change: { actions, before, after, ...(replace_paths ? { replace_paths } : {}) },
  });

  it("an app plan that replaces the table (a new table_name) is refused before apply, with one message saying what to do", async () => {
    fx.flag("app.show.json", plan(table(["delete", "create"], { name: "users" }, { name: "customers" }, [["name"]])));
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toContain("✘ check that the plan of app replaces no ECR repository or DynamoDB table");
    expect(out).toContain(
      "the plan replaces the DynamoDB table users -> customers: aws_dynamodb_table.table_43360BC0 (forced by a change of name).",
    );
    expect(out).toContain("Replacing a table deletes it with every item in it");
    expect(out).toMatch(
      /next: keep table_name and table_hash_key as deployed\. To really move to a new table: deploy the new settings as another stage/,
    );
    expect(applies()).toEqual(["-chdir=cdktf.out/stacks/registry"]);
  });

  it("a new hash key replaces the table too (create before delete is still a replacement)", async () => {
    fx.flag("app.show.json", plan(table(["create", "delete"], { name: "users" }, { name: "users" }, [["hash_key"]])));
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toThrow(/replaces no ECR repository or DynamoDB table/);
    expect(fx.printed()).toContain(
      "the plan replaces the DynamoDB table users: aws_dynamodb_table.table_43360BC0 (forced by a change of hash_key).",
    );
  });

  it("an in-place table change (e.g. point-in-time recovery) applies", async () => {
    fx.flag("app.show.json", plan(table(["update"], { name: "users" }, { name: "users" })));
    await runDeploy(fx.options({ yes: true }));
    expect(applies()).toEqual(["-chdir=cdktf.out/stacks/registry", "-chdir=cdktf.out/stacks/app"]);
  });
});

describe("a protected user pool's deletion", () => {
  const pool = (actions: string[], before: object | null, after: object | null) => ({
    address: "aws_cognito_user_pool.users_pool_5E1F2A3B",
    type: "aws_cognito_user_pool",
    change: { actions, before, after },
  });

  it('auth switched to "none" while the pool is protected: refused before apply, with the way through', async () => {
    fx.flag("app.show.json", plan(pool(["delete"], { name: "serverless-starter-users", deletion_protection: "ACTIVE" }, null)));
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toContain("the plan deletes the Cognito user pool serverless-starter-users: aws_cognito_user_pool.users_pool_5E1F2A3B.");
    expect(out).toContain("Cognito refuses the delete, so the apply would stop half-way");
    expect(out).toMatch(
      /next: keep auth: "cognito" as deployed\. To really remove sign-in and its users: deploy once with table_deletion_protection: false/,
    );
    expect(applies()).toEqual(["-chdir=cdktf.out/stacks/registry"]);
  });

  it("a replaced protected pool is refused too; an unprotected one is deleted as planned", async () => {
    fx.flag(
      "app.show.json",
      plan(pool(["delete", "create"], { name: "p", deletion_protection: "ACTIVE" }, { name: "q", deletion_protection: "ACTIVE" })),
    );
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toThrow(/deletes nothing protected/);
    fx.cleanup();
    fx = freshFixture(stub);
    setDeployedOutputs(fx);
    fx.flag("app.show.json", plan(pool(["delete"], { name: "p", deletion_protection: "INACTIVE" }, null)));
    await runDeploy(fx.options({ yes: true }));
    expect(applies()).toEqual(["-chdir=cdktf.out/stacks/registry", "-chdir=cdktf.out/stacks/app"]);
  });
});
