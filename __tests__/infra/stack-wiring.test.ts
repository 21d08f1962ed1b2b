/**
 * How the stacks fit together: cross-stack references, the image pinned by digest, state
 * backends, stage names, and the contract with the backend and the web app.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ENV, LAMBDA_IMAGE } from "../../backend/src/contract.js";
import { synthesizeStacks } from "../../scripts/lib/synth.js";
import { PROJECT_ROOT } from "../../stacks/app.js";
import { loadConfig } from "../../stacks/config.js";
import { synthConfig } from "../support/synth-config.js";
import { type Block, dataSources, plannedObjects, resources, single } from "../support/tf.js";
import { synthVariant } from "../support/variants.js";

const zero = synthVariant("default");

describe("stacks and cross-stack references", () => {
  test("the manifest lists the registry and app stacks, the app depending on the registry", () => {
    const manifest = JSON.parse(readFileSync(join(zero.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["app", "registry"]);
    expect(manifest.stacks.app.dependencies).toEqual(["registry"]);
    expect(manifest.stacks.registry.dependencies).toEqual([]);
  });

  test("the function's image is the registry's repository pinned by the digest of the configured tag", () => {
    const { stacks } = synthConfig({ image_tag: "abc1234" });
    const image = dataSources(stacks.app!, "aws_ecr_image");
    expect(image).toHaveLength(1);
    expect(image[0]!.body).toMatchObject({ image_tag: "abc1234", repository_name: expect.stringContaining("terraform_remote_state") });
    expect(image[0]!.body.most_recent).toBeUndefined();
    expect(single(stacks.app!, "aws_lambda_function").image_uri).toBe(
      `\${data.terraform_remote_state.cross-stack-reference-input-registry.outputs.cross-stack-output-aws_ecr_repositoryecr_repository_795B33D4repository_url}@\${data.aws_ecr_image.${image[0]!.name}.image_digest}`,
    );
  });

  test("with no tag configured, the most recent image is looked up (never a mutable :latest)", () => {
    const image = dataSources(zero.stacks.app!, "aws_ecr_image")[0]!.body;
    expect(image.most_recent).toBe(true);
    expect(JSON.stringify(zero.stacks.app)).not.toContain(":latest");
  });

  test("the registry exports what the app reads, and what the deploy needs", () => {
    const outputs = Object.keys(zero.stacks.registry!.output);
    expect(outputs).toEqual(expect.arrayContaining(["repository_url", "repository_name"]));
    expect(Object.keys(zero.stacks.app!.output).sort()).toEqual(
      [
        "api_id",
        "api_log_group",
        "api_url",
        "distribution_id",
        "frontend_bucket_name",
        "function_log_group",
        "function_name",
        "table_name",
        "web_url",
        "web_assets_release", // sensitive: the web release record (modules/web-assets.ts)
      ].sort(),
    );
  });
});

describe("state", () => {
  test("shared state by default: the S3 backend with S3-native locking, keyed by project, stage and stack", () => {
    // No bucket in a synth without AWS: terraform init stops on "bucket is required" instead of using empty local state.
    expect(zero.stacks.registry!.terraform.backend).toEqual({
      s3: { key: "serverless-starter/dev/registry.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
    expect(zero.stacks.app!.data.terraform_remote_state["cross-stack-reference-input-registry"]).toMatchObject({
      backend: "s3",
      config: { key: "serverless-starter/dev/registry.tfstate", region: "us-east-1" },
    });
  });

  test("the bucket the deploy found (APP_STATE_BUCKET) reaches the backend and the app stack's read of the registry", () => {
    const outdir = mkdtempSync(join(tmpdir(), "state-env-"));
    const synthesized = synthesizeStacks(loadConfig({ APP_STATE_BUCKET: "team-tfstate-bucket" }), outdir, {
      webDistDir: join(outdir, "no-web-build"),
    });
    rmSync(outdir, { recursive: true, force: true });
    const stacks = Object.fromEntries(synthesized.map((st) => [st.id, st.json as Block]));
    expect(stacks.app!.terraform.backend).toEqual({
      s3: {
        bucket: "team-tfstate-bucket",
        key: "serverless-starter/dev/app.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(stacks.app!.data.terraform_remote_state["cross-stack-reference-input-registry"]).toMatchObject({
      backend: "s3",
      config: { bucket: "team-tfstate-bucket", key: "serverless-starter/dev/registry.tfstate", region: "us-east-1" },
    });
  });

  test("local state, when chosen, at a path relative to the stack directory, also in the remote-state lookup", () => {
    const { stacks } = synthConfig({ state_backend: "local" });
    expect(stacks.registry!.terraform.backend).toEqual({ local: { path: "../../../.state/registry.tfstate" } });
    expect(stacks.app!.terraform.backend).toEqual({ local: { path: "../../../.state/app.tfstate" } });
    expect(stacks.app!.data.terraform_remote_state["cross-stack-reference-input-registry"]).toMatchObject({
      backend: "local",
      config: { path: "../../../.state/registry.tfstate" },
    });
  });

  test("no absolute path of this machine anywhere in the synthesized JSON", () => {
    for (const stack of Object.values(zero.stacks)) {
      const text = JSON.stringify(stack);
      expect(text).not.toContain(PROJECT_ROOT);
      expect(text).not.toContain(zero.outdir);
    }
  });

  test("with state_bucket: that bucket, in state_region, read the same way across stacks", () => {
    const { stacks } = synthVariant("s3-state");
    expect(stacks.app!.terraform.backend).toEqual({
      s3: {
        bucket: "my-tfstate-bucket",
        key: "serverless-starter/dev/app.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(stacks.app!.data.terraform_remote_state["cross-stack-reference-input-registry"]).toMatchObject({
      backend: "s3",
      config: { bucket: "my-tfstate-bucket", key: "serverless-starter/dev/registry.tfstate", region: "eu-west-1" },
    });
  });

  test("the provider is pinned to exactly hashicorp/aws 5.100.0", () => {
    expect(zero.stacks.app!.terraform.required_providers.aws.version).toBe("5.100.0");
  });
});

describe("stages coexist in one account", () => {
  const { stacks } = synthVariant("stage");
  test("stack ids and account-unique names carry a non-default stage", () => {
    expect(Object.keys(stacks).sort()).toEqual(["app-prod", "registry-prod"]);
    const app = stacks["app-prod"]!;
    expect(single(app, "aws_lambda_function").function_name).toBe("backend-api-prod");
    expect(single(app, "aws_dynamodb_table").name).toBe("users-prod");
    expect(single(stacks["registry-prod"]!, "aws_ecr_repository").name).toBe("backend-api-prod");
    expect(single(app, "aws_cloudfront_origin_access_control").name).toBe("serverless-starter-web-prod-us-east-1");
  });

  test("the default stage keeps the plain names", () => {
    expect(single(zero.stacks.app!, "aws_dynamodb_table").name).toBe("users");
  });
});

describe("the backend's contract", () => {
  test("handler command and architecture match the image the deploy builds", () => {
    const fn = single(zero.stacks.app!, "aws_lambda_function");
    expect(fn.image_config.command).toEqual([...LAMBDA_IMAGE.command]);
    expect(fn.architectures).toEqual(["arm64"]);
    expect(single(synthVariant("x86").stacks.app!, "aws_lambda_function").architectures).toEqual(["x86_64"]);
  });

  test("the table's name and key attribute reach the function through its environment", () => {
    const { stacks } = synthConfig({ table_attributes: [{ name: "Pk", type: "S" }], table_hash_key: "Pk" });
    const variables = single(stacks.app!, "aws_lambda_function").environment.variables;
    expect(variables[ENV.tableKeyAttribute]).toBe("Pk");
    expect(single(stacks.app!, "aws_dynamodb_table").hash_key).toBe("Pk");
    expect(variables[ENV.tableName]).toMatch(/^\$\{aws_dynamodb_table\.[^}]+\.name\}$/);
  });
});

describe("web assets", () => {
  test("every file of the build is an object with its content type and cache header, plus config.json", () => {
    const dist = mkdtempSync(join(tmpdir(), "dist-"));
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), "<!doctype html>");
    writeFileSync(join(dist, "assets", "index-AbCd1234.js"), "console.log(1)");
    writeFileSync(join(dist, "assets", "index-EfGh5678.css"), "body{}");
    const { stacks } = synthConfig({}, dist);
    rmSync(dist, { recursive: true, force: true });
    const objects = plannedObjects(stacks.app!);
    expect(Object.keys(objects).sort()).toEqual(["assets/index-AbCd1234.js", "assets/index-EfGh5678.css", "config.json", "index.html"]);
    expect(objects["index.html"]).toMatchObject({ content_type: "text/html; charset=utf-8", cache_control: "no-cache" });
    expect(objects["assets/index-AbCd1234.js"]).toMatchObject({
      content_type: "text/javascript; charset=utf-8",
      cache_control: "public, max-age=31536000, immutable",
      source: expect.stringMatching(/^assets\/.+\/index-AbCd1234\.js$/),
    });
    expect(objects["config.json"]).toMatchObject({
      content_type: "application/json; charset=utf-8",
      cache_control: "no-cache",
      content: expect.stringMatching(/^\$\{jsonencode\(\{"apiUrl" = aws_apigatewayv2_api\.[^.]+\.api_endpoint\}\)\}$/),
    });
  });

  test("without a web build only config.json is uploaded", () => {
    const { stacks } = synthConfig({});
    expect(resources(stacks.app!, "aws_s3_object").map((o) => o.body.key)).toEqual(["config.json"]);
  });
});

describe("cost controls", () => {
  test("with a budget configured the registry stack has it, with forecast and actual alerts", () => {
    const budget = single(synthVariant("all-toggles").stacks.registry!, "aws_budgets_budget");
    expect(budget).toMatchObject({ budget_type: "COST", time_unit: "MONTHLY", limit_amount: "20.00", limit_unit: "USD" });
    const kinds = (budget.notification as Block[]).map((n) => n.notification_type).sort();
    expect(kinds).toEqual(expect.arrayContaining(["ACTUAL", "FORECASTED"]));
    for (const n of budget.notification as Block[]) expect(n.subscriber_email_addresses).toEqual(["ops@example.com"]);
  });

  test("without a budget, nothing", () => {
    expect(resources(zero.stacks.registry!, "aws_budgets_budget")).toHaveLength(0);
  });
});
