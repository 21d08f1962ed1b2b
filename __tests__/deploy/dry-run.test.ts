/** --dry-run: the ordered steps with their exact commands; nothing runs but the (local) synth, no AWS call. */
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { contentTag, type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
});
afterEach(() => fx.cleanup());

/** The shared-state steps, before the synth: find or create the bucket, read the stage's records, lock the stage. */
const STATE_STEPS = [
  "AWS S3 HeadBucket (serverless-starter-tfstate-<account>-us-east-1, us-east-1)",
  "AWS S3 GetObject (s3://serverless-starter-tfstate-<account>-us-east-1/serverless-starter/dev/deploy-record.json, s3://serverless-starter-tfstate-<account>-us-east-1/serverless-starter/dev/stage-target.json)",
  "AWS S3 CreateBucket + PutPublicAccessBlock + PutBucketOwnershipControls + PutBucketEncryption + PutBucketVersioning + PutBucketPolicy (serverless-starter-tfstate-<account>-us-east-1, us-east-1)",
  "AWS S3 PutObject If-None-Match: * (s3://serverless-starter-tfstate-<account>-us-east-1/serverless-starter/dev/deploy.lock)",
];

/** The printed commands ("    $ ..."), in order. */
const commands = (out: string) =>
  out
    .split("\n")
    .filter((l) => l.startsWith("    $ "))
    .map((l) => l.slice(6));

describe("deploy --dry-run", () => {
  it("prints every step's exact command in deploy order", async () => {
    const tag = `${contentTag(fx.root)}`;
    const image = `<account>.dkr.ecr.us-east-1.amazonaws.com/backend-api:${tag}`;
    const synth = join(dirname(fx.root), "synth"); // the fixture's fake synth command
    await runDeploy(fx.options({ dryRun: true, skipSmoke: false }));
    expect(commands(fx.printed())).toEqual([
      "terraform version -json",
      "docker buildx version && docker info --format '{{.ServerVersion}}'",
      "AWS STS GetCallerIdentity (region us-east-1, SDK default credential chain)",
      "AWS Lambda GetAccountSettings (region us-east-1) + GetFunctionConcurrency (backend-api)",
      ...STATE_STEPS,
      synth,
      "terraform -chdir=cdktf.out/stacks/registry init -input=false -no-color",
      "terraform -chdir=cdktf.out/stacks/registry state list -no-color",
      "terraform -chdir=cdktf.out/stacks/app init -input=false -no-color",
      "terraform -chdir=cdktf.out/stacks/app state list -no-color",
      "ECR repository backend-api", // exists without state?
      "terraform -chdir=cdktf.out/stacks/registry plan -input=false -no-color -lock-timeout=60s -detailed-exitcode -out=tfplan",
      "terraform -chdir=cdktf.out/stacks/registry show -json -no-color tfplan",
      "terraform -chdir=cdktf.out/stacks/registry apply -input=false -no-color -lock-timeout=60s tfplan",
      "terraform -chdir=cdktf.out/stacks/registry output -no-color -json",
      "AWS ECR DescribeImages (repository backend-api, tagged images)",
      "npm run build:backend",
      `BUILDX_NO_DEFAULT_ATTESTATIONS=1 docker buildx build --platform linux/arm64 --file backend/Dockerfile --tag ${image} --provenance=false --sbom=false --load backend`,
      "AWS ECR GetAuthorizationToken (region us-east-1)",
      "<ECR token from GetAuthorizationToken> | docker login --username AWS --password-stdin <account>.dkr.ecr.us-east-1.amazonaws.com",
      `docker push ${image}`,
      `AWS ECR DescribeImages (repository backend-api, tag ${tag}): digest and imageManifestMediaType`,
      "compare imageManifestMediaType with application/vnd.docker.distribution.manifest.v2+json | application/vnd.oci.image.manifest.v1+json",
      "npm run build:web",
      `APP_IMAGE_TAG=${tag} ${synth}`,
      `AWS ECR BatchGetImage + PutImage (repository backend-api, same manifest as ${tag}, tag deployed-${tag})`,
      "terraform -chdir=cdktf.out/stacks/app plan -input=false -no-color -lock-timeout=60s -detailed-exitcode -out=tfplan",
      "terraform -chdir=cdktf.out/stacks/app show -json -no-color tfplan",
      "terraform -chdir=cdktf.out/stacks/app apply -input=false -no-color -lock-timeout=60s tfplan",
      `AWS ECR DescribeImages + BatchDeleteImage (repository backend-api, tags deployed-* other than deployed-${tag}; the images keep their own tags)`,
      "terraform -chdir=cdktf.out/stacks/app output -no-color -json",
      "GET <api_url>/health, GET <api_url>/users?limit=1, GET <web_url>/config.json (each retried for up to 120 s)",
    ]);
  });

  it("shows the replacement checks, the manifest check and the image protection as numbered steps, in order", async () => {
    const tag = contentTag(fx.root);
    await runDeploy(fx.options({ dryRun: true }));
    const titles = fx
      .printed()
      .split("\n")
      .filter((l) => /^\s*\d+\. /.test(l))
      .map((l) => l.replace(/^\s*\d+\. /, ""));
    const at = (title: string) => {
      const i = titles.findIndex((t) => t.startsWith(title));
      expect(i, `no step "${title}" in:\n${titles.join("\n")}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const order = [
      at("terraform plan registry"),
      at("check that the plan of registry replaces no ECR repository"),
      at("terraform apply registry"),
      at(`push `),
      at(`confirm ${tag} is in the repository`),
      at(`check that Lambda can run ${tag} (single-platform manifest)`),
      at(`protect ${tag} from the lifecycle policy (tag deployed-${tag})`),
      at("check that the plan of app replaces no ECR repository or DynamoDB table"),
      at("terraform apply app"),
      at("let the lifecycle policy expire earlier deployed images"),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("with --rebuild first asks whether the repository's tags are mutable", async () => {
    await runDeploy(fx.options({ dryRun: true, rebuild: true }));
    const printed = commands(fx.printed());
    expect(printed.indexOf("AWS ECR DescribeRepositories (repository backend-api): imageTagMutability")).toBeLessThan(
      printed.indexOf("AWS ECR DescribeImages (repository backend-api, tagged images)"),
    );
    expect(printed.find((c) => c.includes("docker push"))).toMatch(/:[0-9a-f]{12}-arm64$/); // nothing found in a dry run: the plain tag
  });

  it("shows the account checks before the synth: Lambda quotas, Budgets access (budget keys), the domain's delegation", async () => {
    const config = fx.writeConfig({ domain: "example.com", budget_monthly_usd: 20, budget_email: "ops@example.com" });
    await runDeploy(fx.options({ dryRun: true, env: { APP_CONFIG: config } }));
    const printed = commands(fx.printed());
    const synth = printed.indexOf(join(dirname(fx.root), "synth"));
    expect(printed.slice(0, synth)).toEqual([
      "terraform version -json",
      "docker buildx version && docker info --format '{{.ServerVersion}}'",
      "AWS STS GetCallerIdentity (region us-east-1, SDK default credential chain)",
      "AWS Route53 ListHostedZonesByName (DNSName example.com)",
      "AWS Lambda GetAccountSettings (region us-east-1) + GetFunctionConcurrency (backend-api)",
      "AWS Budgets DescribeBudgets (account <account>, MaxResults 1)",
      "AWS Route53 GetHostedZone (example.com) + DNS NS lookup of example.com",
      ...STATE_STEPS,
    ]);
    expect(stub.calls).toEqual([]);
  });

  it("shows the smoke check as the last step, and leaves it out with --skip-smoke", async () => {
    await runDeploy(fx.options({ dryRun: true, skipSmoke: false }));
    expect(fx.printed()).toMatch(/\d+\. smoke check the deployed stage \(skipped with --skip-smoke\)\n {4}\$ GET <api_url>\/health/);
    fx.cleanup();
    fx = freshFixture(stub);
    await runDeploy(fx.options({ dryRun: true, skipSmoke: true }));
    expect(fx.printed()).not.toContain("smoke check");
  });

  it("makes no AWS call and runs nothing but the first synth", async () => {
    await runDeploy(fx.options({ dryRun: true }));
    expect(stub.calls).toEqual([]);
    expect(fx.calls().map((c) => c.tool)).toEqual(["synth"]);
  });

  it("says which steps are conditional", async () => {
    await runDeploy(fx.options({ dryRun: true }));
    expect(fx.printed()).toMatch(/\d+\. terraform apply registry \(only when the plan has changes; asks first unless --yes\)/);
    expect(fx.printed()).toMatch(/\d+\. push .* \(skipped when the tag is already in the repository\)/);
  });

  it("with a domain and another stage, checks the hosted zone and uses the stage's stack ids", async () => {
    const config = fx.writeConfig({ domain: "example.com", lambda_architecture: "x86_64" });
    await runDeploy(fx.options({ dryRun: true, stage: "qa", env: { APP_CONFIG: config } }));
    const printed = commands(fx.printed());
    expect(printed).toContain("AWS Route53 ListHostedZonesByName (DNSName example.com)");
    expect(printed).toContain("terraform -chdir=cdktf.out/stacks/app-qa apply -input=false -no-color -lock-timeout=60s tfplan");
    expect(printed.find((c) => c.includes("docker buildx build"))).toContain("--platform linux/amd64");
    expect(stub.calls).toEqual([]);
  });
});
