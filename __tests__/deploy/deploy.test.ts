/**
 * npm run deploy end to end against fake terraform/docker/npm on PATH and a local AWS stub reached
 * through the SDK's standard endpoint variables.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { ACCOUNT, digestOf } from "./support/aws-stub.js";
import { callLine } from "./support/fake-tools.js";
import { contentTag, type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
const REPO_URL = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/backend-api`;
/** A first deploy's state calls: the bucket created, the records looked for, the stage locked, the repository looked for. */
const FIRST_STATE_CALLS = [
  "s3:HeadBucket", // no state bucket yet:
  "s3:ListBuckets", // is the stage deployed from another region's bucket?
  "s3:CreateBucket",
  "s3:PutPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketEncryption",
  "s3:PutBucketVersioning",
  "s3:PutBucketPolicy",
  "s3:PutObject", // the stage lock
  "ecr:DescribeRepositories", // exists without state?
  "s3:PutObject",
];

function setUp(tools?: Parameters<typeof freshFixture>[1]) {
  fx = freshFixture(stub, tools);
  for (const suffix of ["", "-qa"]) {
    fx.setOutputs(`registry${suffix}`, { repository_url: `${REPO_URL}${suffix}`, repository_name: `backend-api${suffix}` });
    fx.setOutputs(`app${suffix}`, {
      web_url: "https://d111111abcdef8.cloudfront.net",
      api_url: "https://abc123.execute-api.us-east-1.amazonaws.com",
      table_name: "users",
      frontend_bucket_name: "web-bucket",
    });
  }
}
beforeEach(() => setUp());
afterEach(() => fx.cleanup());

/** The calls as "tool args..." lines, without the prerequisite probes. */
const actions = () =>
  fx
    .calls()
    .filter(
      (c) =>
        !(c.tool === "terraform" && c.args[0] === "version") &&
        !["info", "buildx version"].includes(
          c.args
            .slice(0, 2)
            .join(" ")
            .replace(/^info.*/, "info"),
        ),
    )
    .map((c) => (c.tool === "synth" ? `synth ${c.args[0]}` : callLine(c)));

const indexOf = (lines: string[], prefix: string) => {
  const i = lines.findIndex((l) => l.startsWith(prefix));
  expect(i, `expected a call starting with "${prefix}" in:\n${lines.join("\n")}`).toBeGreaterThanOrEqual(0);
  return i;
};

describe("npm run deploy", () => {
  it("deploys in order: synth, registry, image build/login/push, web build, synth with the pushed tag, app", async () => {
    const tag = `${contentTag(fx.root)}`;
    await runDeploy(fx.options({ yes: true }));
    const lines = actions();
    const order = [
      "synth APP_IMAGE_TAG=",
      "terraform -chdir=cdktf.out/stacks/registry init",
      "terraform -chdir=cdktf.out/stacks/registry state list", // which stacks have state, before anything changes
      "terraform -chdir=cdktf.out/stacks/app init",
      "terraform -chdir=cdktf.out/stacks/app state list",
      "terraform -chdir=cdktf.out/stacks/registry plan",
      "terraform -chdir=cdktf.out/stacks/registry apply -input=false -no-color -lock-timeout=60s tfplan",
      "terraform -chdir=cdktf.out/stacks/registry output",
      "npm run build:backend",
      "docker buildx build",
      "docker login",
      "docker push",
      "npm run build:web",
      `synth APP_IMAGE_TAG=${tag}`,
      "terraform -chdir=cdktf.out/stacks/app plan",
      "terraform -chdir=cdktf.out/stacks/app apply",
      "terraform -chdir=cdktf.out/stacks/app output",
    ].map((prefix) => indexOf(lines, prefix));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(stub.operations()).toEqual([
      "sts:GetCallerIdentity",
      "lambda:GetAccountSettings",
      "lambda:GetFunctionConcurrency backend-api",
      ...FIRST_STATE_CALLS,
      "ecr:DescribeImages", // is the tag there?
      "ecr:GetAuthorizationToken",
      "ecr:DescribeImages", // the pushed image's digest and manifest type
      "ecr:BatchGetImage", // its manifest, put again as deployed-<tag>
      "ecr:PutImage",
      "ecr:DescribeImages", // earlier deployed- markers to release (none)
      "s3:PutObject", // the record and the stage's region, beside the state
      "s3:PutObject",
      "s3:DeleteObject", // the stage lock, released
    ]);
  });

  it("builds one linux/arm64 image without provenance and pushes it under the content tag", async () => {
    const tag = `${contentTag(fx.root)}`;
    await runDeploy(fx.options({ yes: true }));
    const build = fx.calls().find((c) => c.tool === "docker" && c.args[0] === "buildx" && c.args[1] === "build")!;
    expect(build.args).toEqual(expect.arrayContaining(["--platform", "linux/arm64", "--provenance=false", "--tag", `${REPO_URL}:${tag}`]));
    expect(build.args.at(-1)).toBe("backend");
    const login = fx.calls().find((c) => c.args[0] === "login")!;
    expect(login.args).toEqual(["login", "--username", "AWS", "--password-stdin", `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`]);
    expect(login.stdin).toBe("stub-ecr-password");
    expect(fx.calls().find((c) => c.args[0] === "push")!.args).toEqual(["push", `${REPO_URL}:${tag}`]);
  });

  it("builds linux/amd64 for lambda_architecture x86_64, and the tag says so", async () => {
    const config = fx.writeConfig({ lambda_architecture: "x86_64" });
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: config } }));
    const build = fx.calls().find((c) => c.args[1] === "build")!;
    expect(build.args).toEqual(expect.arrayContaining(["--platform", "linux/amd64", `${REPO_URL}:${contentTag(fx.root, "x86_64")}`]));
  });

  it("synthesizes the app stack with the pushed tag and records the digest and URLs in .deploy/<stage>.json", async () => {
    const tag = `${contentTag(fx.root)}`;
    const record = await runDeploy(fx.options({ yes: true }));
    const synths = fx.calls().filter((c) => c.tool === "synth");
    expect(synths.map((c) => c.args[0])).toEqual(["APP_IMAGE_TAG=", `APP_IMAGE_TAG=${tag}`]);
    const saved = JSON.parse(readFileSync(join(fx.root, ".deploy", "dev.json"), "utf8"));
    expect(saved).toEqual(record);
    expect(saved.image).toEqual({ tag, digest: digestOf(tag), uri: `${REPO_URL}@${digestOf(tag)}` });
    expect(saved.web_url).toBe("https://d111111abcdef8.cloudfront.net");
    expect(saved.api_url).toBe("https://abc123.execute-api.us-east-1.amazonaws.com");
    expect(fx.printed()).toContain("Web: https://d111111abcdef8.cloudfront.net");
    expect(fx.printed()).toContain("API: https://abc123.execute-api.us-east-1.amazonaws.com");
    expect(saved.commit).toBeUndefined(); // the fixture is no git checkout
  });

  it("records the commit it deployed from, marked +changes when the working tree differs", async () => {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: fx.root, encoding: "utf8" }).trim();
    git("init", "-q");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "first");
    const head = git("rev-parse", "--short=12", "HEAD");
    expect((await runDeploy(fx.options({ yes: true })))?.commit).toBe(`${head}+changes`); // the fixture's files are untracked
    git("add", "-A");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "all");
    const record = await runDeploy(fx.options({ yes: true }));
    expect(record?.commit).toBe(git("rev-parse", "--short=12", "HEAD"));
    expect(JSON.parse(readFileSync(join(fx.root, ".deploy", "dev.json"), "utf8")).commit).toBe(record?.commit);
  });

  it("a second deploy with nothing changed builds nothing, pushes nothing and applies nothing", async () => {
    await runDeploy(fx.options({ yes: true }));
    const before = fx.calls().length;
    stub.calls = [];
    await runDeploy(fx.options({ yes: true }));
    const second = fx.calls().slice(before).map(callLine);
    expect(second.filter((l) => /^(npm run build:backend|docker (buildx build|login|push))/.test(l))).toEqual([]);
    expect(second.filter((l) => / apply /.test(l))).toEqual([]);
    expect(second.filter((l) => / plan /.test(l))).toHaveLength(2);
    expect(stub.operations()).toEqual([
      "sts:GetCallerIdentity",
      "lambda:GetAccountSettings",
      "lambda:GetFunctionConcurrency backend-api",
      "s3:HeadBucket", // the state bucket is there: reused as it is
      "s3:GetObject", // the records the first deploy left
      "s3:GetObject",
      "s3:GetBucketVersioning",
      "s3:PutObject", // the stage lock
      "s3:PutObject", // the stage's region (both stacks have state: nothing to look for outside it)
      "ecr:DescribeImages",
      "ecr:DescribeImages",
      "s3:PutObject",
      "s3:PutObject",
      "s3:DeleteObject",
    ]);
    expect(fx.printed()).toMatch(/build and push the image: skipped \(.*already in backend-api/);
    expect(fx.printed()).toMatch(/terraform apply app: skipped \(no changes\)/);
  });

  it("stops after a failed push: the app stack is neither synthesized with the tag nor planned", async () => {
    fx.flag("push-fails");
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    const lines = fx.calls().map(callLine);
    expect(lines.some((l) => /stacks\/app (plan|apply)/.test(l))).toBe(false);
    expect(lines.some((l) => l.startsWith("npm run build:web"))).toBe(false);
    expect(fx.calls().filter((c) => c.tool === "synth")).toHaveLength(1);
    const out = fx.printed();
    expect(out).toMatch(/✘ push .* failed after [\d.]+ s: exit code 1/);
    expect(out).toContain("| denied: requested access to the resource is denied");
    expect(out).toMatch(/next: nothing after the registry stack was changed/);
    expect(existsSync(join(fx.root, ".deploy", "dev.json"))).toBe(false);
  });

  it("prints each step on one line with its elapsed time", async () => {
    await runDeploy(fx.options({ yes: true }));
    const stepLines = fx
      .printed()
      .split("\n")
      .filter((l) => l.startsWith("✔"));
    expect(stepLines.length).toBeGreaterThan(10);
    for (const line of stepLines) expect(line).toMatch(/^✔ .+ \(\d+\.\d s\)/);
  });

  it("uses podman when docker is not on PATH", async () => {
    fx.cleanup();
    setUp({ docker: false, podman: true });
    await runDeploy(fx.options({ yes: true }));
    const build = fx.calls().find((c) => c.tool === "podman" && c.args[0] === "build")!;
    expect(build.args).toEqual(expect.arrayContaining(["--platform", "linux/arm64"]));
    expect(fx.calls().some((c) => c.tool === "podman" && c.args[0] === "push")).toBe(true);
  });

  it("--stage deploys stacks whose ids carry the stage and saves .deploy/<stage>.json", async () => {
    await runDeploy(fx.options({ yes: true, stage: "qa" }));
    const lines = fx.calls().map(callLine);
    expect(lines.some((l) => l.startsWith("terraform -chdir=cdktf.out/stacks/registry-qa apply"))).toBe(true);
    expect(lines.some((l) => l.startsWith("terraform -chdir=cdktf.out/stacks/app-qa apply"))).toBe(true);
    expect(
      fx
        .calls()
        .filter((c) => c.tool === "synth")
        .every((c) => c.args[1] === "stage=qa"),
    ).toBe(true);
    expect(existsSync(join(fx.root, ".deploy", "qa.json"))).toBe(true);
  });

  it("without --yes asks before applying, and a missing answer applies nothing", async () => {
    await expect(runDeploy(fx.options({ answers: "" }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.calls().some((c) => c.args.includes("apply"))).toBe(false);
    expect(fx.printed()).toContain("Apply these changes to registry? [y/N]");
    expect(fx.printed()).toContain("+ aws_thing.example");
  });

  it("without --yes applies each stack once the user answers y", async () => {
    await runDeploy(fx.options({ answers: "y\ny\n" }));
    expect(
      fx
        .calls()
        .filter((c) => c.args.includes("apply"))
        .map((c) => c.args[0]),
    ).toEqual(["-chdir=cdktf.out/stacks/registry", "-chdir=cdktf.out/stacks/app"]);
  });
});

describe("npm run deploy --verbose", () => {
  it("streams each tool's output under its command", async () => {
    await runDeploy(fx.options({ yes: true, verbose: true }));
    const out = fx.printed();
    expect(out).toContain(
      "  $ terraform -chdir=cdktf.out/stacks/registry apply -input=false -no-color -lock-timeout=60s tfplan\n  | Apply complete!",
    );
    expect(out).toContain("  | Login Succeeded");
  });
});
