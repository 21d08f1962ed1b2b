/** npm run bootstrap-state: the S3 state bucket with its protections, recorded in the config. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBootstrapState } from "../../scripts/deploy/bootstrap-state.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { ACCOUNT } from "./support/aws-stub.js";
import { type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
});
afterEach(() => fx.cleanup());

const s3 = (operation: string) => stub.calls.find((c) => c.service === "s3" && c.operation === operation);

describe("npm run bootstrap-state", () => {
  it("creates a private, owner-enforced, SSE-S3, versioned, TLS-only bucket named after project, account and region", async () => {
    const bucket = `serverless-starter-tfstate-${ACCOUNT}-eu-west-1`;
    const config = fx.writeConfig({ aws_region: "eu-west-1", lambda_memory: 512 });
    const result = await runBootstrapState(fx.options({ env: { APP_CONFIG: config } }));
    expect(result.bucket).toBe(bucket);
    expect(stub.operations().filter((o) => o.startsWith("s3:"))).toEqual([
      "s3:CreateBucket",
      "s3:PutPublicAccessBlock",
      "s3:PutBucketOwnershipControls",
      "s3:PutBucketEncryption",
      "s3:PutBucketVersioning",
      "s3:PutBucketPolicy",
    ]);
    expect(s3("CreateBucket")!.path.replace(/\/$/, "")).toBe(`/${bucket}`);
    expect(s3("CreateBucket")!.body).toContain("<LocationConstraint>eu-west-1</LocationConstraint>");
    for (const flag of ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]) {
      expect(s3("PutPublicAccessBlock")!.body).toContain(`<${flag}>true</${flag}>`);
    }
    expect(s3("PutBucketOwnershipControls")!.body).toContain("<ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>");
    expect(s3("PutBucketEncryption")!.body).toContain("<SSEAlgorithm>AES256</SSEAlgorithm>");
    expect(s3("PutBucketVersioning")!.body).toContain("<Status>Enabled</Status>");
    const policy = JSON.parse(s3("PutBucketPolicy")!.body);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    ]);
    expect(JSON.parse(readFileSync(config, "utf8"))).toEqual({
      aws_region: "eu-west-1",
      lambda_memory: 512,
      state_bucket: bucket,
      state_region: "eu-west-1",
    });
  });

  it("without APP_CONFIG writes app.config.json in the project and says to export APP_CONFIG", async () => {
    const result = await runBootstrapState(fx.options());
    expect(result.configFile).toBe(join(fx.root, "app.config.json"));
    expect(JSON.parse(readFileSync(result.configFile, "utf8"))).toEqual({
      state_bucket: `serverless-starter-tfstate-${ACCOUNT}-us-east-1`,
      state_region: "us-east-1",
    });
    expect(fx.printed()).toContain(`export APP_CONFIG=${result.configFile}`);
    expect(s3("CreateBucket")!.body).toBe("");
  });

  it("with local state, tells how to migrate each stack into the bucket", async () => {
    mkdirSync(join(fx.root, ".state"));
    for (const id of ["registry", "app"]) writeFileSync(join(fx.root, ".state", `${id}.tfstate`), "{}");
    await runBootstrapState(fx.options());
    expect(fx.printed()).toContain("Local state exists for app, registry.");
    expect(fx.printed()).toContain("terraform -chdir=cdktf.out/stacks/registry init -migrate-state -force-copy");
    expect(fx.printed()).toContain("terraform -chdir=cdktf.out/stacks/app init -migrate-state -force-copy");
  });

  it("refuses a bad region before any AWS call, leaving the config unchanged", async () => {
    const config = fx.writeConfig({ stage: "qa" });
    await expect(runBootstrapState(fx.options({ env: { APP_CONFIG: config }, region: "mars-1" }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain('"mars-1" is not an AWS region');
    expect(stub.calls).toEqual([]);
    expect(JSON.parse(readFileSync(config, "utf8"))).toEqual({ stage: "qa" });
  });
});
