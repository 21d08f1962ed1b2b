/**
 * Failures half-way through an apply that have a known remedy: the deploy recognises them in
 * terraform's output and says what to do (fake terraform prints the provider's error text).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { diagnoseTerraform, lockId } from "../../scripts/deploy/terraform-errors.js";
import { type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
  fx.setOutputs("registry", { repository_url: "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend-api", repository_name: "backend-api" });
});
afterEach(() => fx.cleanup());

// As terraform-provider-aws prints it (hashicorp/terraform-provider-aws#36663).
const CLOUDFRONT_UNVERIFIED = `aws_cloudfront_distribution.web: Creating...
╷
│ Error: creating CloudFront Distribution: operation error CloudFront: CreateDistributionWithTags, https response error StatusCode: 403, RequestID: cc5aa49c-c749-4e67-a832-62b8cf5a6deb, AccessDenied: Your account must be verified before you can add new CloudFront resources. To verify your account, please contact AWS Support (https://console.aws.amazon.com/support/home#/) and include this error message.
│
│   with aws_cloudfront_distribution.web,
│   on cdk.tf.json line 412, in resource "aws_cloudfront_distribution" "web":
╵`;

const BUDGET_DENIED = `╷
│ Error: creating Budget (serverless-starter-monthly): operation error Budgets: CreateBudget, https response error StatusCode: 400, RequestID: 7c1, AccessDeniedException: User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: budgets:ModifyBudget on resource: arn:aws:budgets::123456789012:budget/serverless-starter-monthly
╵`;

const LOCKED = `Error acquiring the state lock

Error message: operation error S3: PutObject, https response error StatusCode: 412, api error PreconditionFailed
Lock Info:
  ID:        8b1c9a1e-3f1a-7d4e-2c55-61e0a1f2b3c4
  Path:      my-state-bucket/app/terraform.tfstate
  Operation: OperationTypeApply
  Who:       dev@laptop
  Version:   1.11.4
  Created:   2026-11-30 09:12:44.123456 +0000 UTC
  Info:

Terraform acquires a state lock to protect the state from being written
by multiple users at the same time.`;

// As terraform-provider-aws v5.100.0 prints it when an object's source file is missing (internal/service/s3/object.go).
const KEPT_SOURCE_GONE = `aws_s3_object.web_assets_files_50A6708B["assets/index-Old1.js"]: Creating...
╷
│ Error: opening S3 object source (assets/web_assets_asset_assets_index_Old1_js_0a1b2c_1234ABCD/0123/index-Old1.js): open assets/web_assets_asset_assets_index_Old1_js_0a1b2c_1234ABCD/0123/index-Old1.js: no such file or directory
│
│   with aws_s3_object.web_assets_files_50A6708B["assets/index-Old1.js"],
╵`;

// As terraform-provider-aws v5.100.0 prints a validation that ran out of its create timeout (modules/acm.ts: 30m).
const ACM_TIMEOUT = `aws_acm_certificate_validation.web_certificate_validation_1A2B3C4D: Still creating... [30m0s elapsed]
╷
│ Error: waiting for ACM Certificate (arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b) to be issued: timeout while waiting for state to become 'ISSUED' (last state: 'PENDING_VALIDATION', timeout: 30m0s)
│
│   with aws_acm_certificate_validation.web_certificate_validation_1A2B3C4D,
╵`;

async function failed(): Promise<string> {
  await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
  return fx.printed();
}

describe("terraform failures with a known remedy", () => {
  it("a certificate not validated within the timeout: check the NS delegation, then re-run", async () => {
    fx.flag("app.apply-error", ACM_TIMEOUT);
    const out = await failed();
    expect(out).toContain(
      "next: ACM did not validate the certificate arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b in time",
    );
    expect(out).toContain("ACM keeps trying for 72 hours");
  });

  it("a kept file of the previous web release gone from the bucket: deploy once with keeping off", async () => {
    fx.flag("app.apply-error", KEPT_SOURCE_GONE);
    const out = await failed();
    expect(out).toContain("a file the previous web release kept is gone from the bucket");
    expect(out).toContain("TF_VAR_web_assets_keep_previous_release=false npm run deploy");
  });

  it("CloudFront refusing an unverified account half-way: open a support case, then re-run, which carries on", async () => {
    fx.flag("app.apply-error", CLOUDFRONT_UNVERIFIED);
    const out = await failed();
    expect(out).toMatch(/✘ terraform apply app failed after [\d.]+ s: exit code 1/);
    expect(out).toContain(
      "next: AWS has not verified this account for CloudFront yet. Open a case with AWS Support (https://console.aws.amazon.com/support/home#/",
    );
    expect(out).toContain("re-run npm run deploy: what was created stays in the state and the apply carries on from there");

    // Once verified, the same command finishes the job.
    rmSync(join(fx.state, "app.apply-error"));
    await runDeploy(fx.options({ yes: true }));
    expect(fx.calls().filter((c) => c.args.join(" ").startsWith("-chdir=cdktf.out/stacks/app apply"))).toHaveLength(2);
  });

  it("Budgets refusing the caller at the registry stack: billing access or no budget keys", async () => {
    fx.flag("registry.apply-error", BUDGET_DENIED);
    const out = await failed();
    expect(out).toMatch(/✘ terraform apply registry failed/);
    expect(out).toContain("next: this identity may not create the budget (billing access)");
    expect(out).toContain("or remove budget_monthly_usd and budget_email from the config");
  });

  it("a state lock left behind: the exact force-unlock command for that stack and lock", async () => {
    fx.flag("registry.plan-error", LOCKED);
    const out = await failed();
    expect(out).toContain(
      "remove it with: terraform -chdir=cdktf.out/stacks/registry force-unlock 8b1c9a1e-3f1a-7d4e-2c55-61e0a1f2b3c4  then re-run npm run deploy",
    );
  });

  it("other failures keep the step's own hint", async () => {
    fx.flag("app.apply-error", "Error: creating Lambda Function: InvalidParameterValueException: something else");
    const out = await failed();
    expect(out).toContain("next: see the error above; the state keeps what was created.");
    expect(diagnoseTerraform("Error: something else", "terraform", "x")).toBeUndefined();
  });

  it("reads the lock id from terraform's Lock Info block", () => {
    expect(lockId(LOCKED)).toBe("8b1c9a1e-3f1a-7d4e-2c55-61e0a1f2b3c4");
    expect(lockId("Error: nothing here")).toBeUndefined();
  });
});
