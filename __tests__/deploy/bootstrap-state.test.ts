/** npm run bootstrap-state: the shared state bucket with its protections, created or reused, and its export line. */
import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
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
const s3Operations = () => stub.operations().filter((o) => o.startsWith("s3:"));

describe("npm run bootstrap-state", () => {
  it("creates a private, owner-enforced, SSE-S3, versioned, TLS-only bucket named after project, account and region", async () => {
    const bucket = `serverless-starter-tfstate-${ACCOUNT}-eu-west-1`;
    const config = fx.writeConfig({ aws_region: "eu-west-1", lambda_memory: 512 });
    const result = await runBootstrapState(fx.options({ env: { APP_CONFIG: config } }));
    expect(result).toEqual({ bucket, region: "eu-west-1" });
    expect(s3Operations()).toEqual([
      "s3:HeadBucket",
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
    // Nothing is written to the config: every checkout derives the same name.
    expect(JSON.parse(readFileSync(config, "utf8"))).toEqual({ aws_region: "eu-west-1", lambda_memory: 512 });
    expect(fx.printed()).toContain(`export APP_STATE_BUCKET=${bucket}`);
  });

  it("reuses a bucket it finds, leaving its settings (e.g. a policy the team extended) alone", async () => {
    const bucket = `serverless-starter-tfstate-${ACCOUNT}-us-east-1`;
    stub.world.buckets[bucket] = { versioning: true };
    await runBootstrapState(fx.options());
    expect(s3Operations()).toEqual(["s3:HeadBucket", "s3:GetBucketVersioning"]);
    expect(fx.printed()).toMatch(/✔ create or reuse the state bucket .* reused/);
  });

  it("re-applies every setting to a bucket of ours without versioning (a half-made first attempt)", async () => {
    stub.world.buckets[`serverless-starter-tfstate-${ACCOUNT}-us-east-1`] = { versioning: false };
    await runBootstrapState(fx.options());
    expect(s3Operations()).toEqual([
      "s3:HeadBucket",
      "s3:GetBucketVersioning",
      "s3:PutPublicAccessBlock",
      "s3:PutBucketOwnershipControls",
      "s3:PutBucketEncryption",
      "s3:PutBucketVersioning",
      "s3:PutBucketPolicy",
    ]);
  });

  it("refuses a bucket name another account holds, saying to set state_bucket", async () => {
    stub.world.buckets[`serverless-starter-tfstate-${ACCOUNT}-us-east-1`] = { versioning: true, owner: "other" };
    await expect(runBootstrapState(fx.options())).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain("exists but account 123456789012 may not use it");
    expect(fx.printed()).toContain("state_bucket");
    expect(s3Operations()).toEqual(["s3:HeadBucket"]);
  });

  it("--export prints only the export line on stdout, progress elsewhere", async () => {
    const progress = new PassThrough();
    await runBootstrapState({ ...fx.options(), exportOnly: true, progress });
    expect(fx.printed()).toBe(`export APP_STATE_BUCKET=serverless-starter-tfstate-${ACCOUNT}-us-east-1\n`);
  });

  it("refuses a bad region before any AWS call, leaving the config unchanged", async () => {
    const config = fx.writeConfig({ stage: "qa" });
    await expect(runBootstrapState(fx.options({ env: { APP_CONFIG: config }, region: "mars-1" }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain('"mars-1" is not an AWS region');
    expect(stub.calls).toEqual([]);
    expect(JSON.parse(readFileSync(config, "utf8"))).toEqual({ stage: "qa" });
  });
});
