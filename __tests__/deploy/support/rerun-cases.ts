/**
 * After any step of `npm run deploy` fails once, running it again finishes the job: for each step,
 * the fake tool (or the AWS stub) fails on its first call only, the deploy stops there, and a second
 * deploy with the same config ends with both stacks applied, the image in ECR, the record saved and
 * the smoke check passing. The cases run from two test files (rerun-*.test.ts), each half of STEPS,
 * so vitest's two workers share them.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runDeploy } from "../../../scripts/deploy/deploy.js";
import { DeployFailed } from "../../../scripts/deploy/steps.js";
import { contentTag, type Fixture, freshFixture, useAwsStub } from "./fixture.js";

export type Failure = { tool: string } | { aws: string } | { smoke: true };

// Every step of a first deploy, in order, with what makes it fail once and the step line it fails on.
export const STEPS: [string, Failure, RegExp][] = [
  ["terraform version check", { tool: "terraform version*" }, /✘ check terraform >= .* failed/],
  ["container engine check", { tool: "docker info*" }, /✘ check docker and buildx \(engine running\) failed/],
  ["AWS credentials", { aws: "sts:GetCallerIdentity" }, /✘ check AWS credentials and region us-east-1 failed/],
  ["Lambda quotas", { aws: "lambda:GetAccountSettings" }, /✘ check the account's Lambda quotas in us-east-1 failed/],
  ["first synth", { tool: "synth APP_IMAGE_TAG=" }, /✘ synthesize stacks failed/],
  ["registry init", { tool: "terraform -chdir=cdktf.out/stacks/registry init*" }, /✘ terraform init registry failed/],
  ["registry plan", { tool: "terraform -chdir=cdktf.out/stacks/registry plan*" }, /✘ terraform plan registry failed/],
  [
    "registry plan inspection",
    { tool: "terraform -chdir=cdktf.out/stacks/registry show*" },
    /✘ check that the plan of registry replaces no ECR repository or DynamoDB table and deletes nothing protected failed/,
  ],
  ["registry apply", { tool: "terraform -chdir=cdktf.out/stacks/registry apply*" }, /✘ terraform apply registry failed/],
  ["registry outputs", { tool: "terraform -chdir=cdktf.out/stacks/registry output*" }, /✘ read the outputs of registry failed/],
  ["image lookup", { aws: "ecr:DescribeImages@1" }, /✘ look up image .* failed/],
  ["backend build", { tool: "npm run build:backend" }, /✘ build the backend bundle failed/],
  ["image build", { tool: "docker buildx build*" }, /✘ build the image for linux\/arm64 failed/],
  ["ECR token", { aws: "ecr:GetAuthorizationToken" }, /✘ get an ECR login token failed/],
  ["registry login", { tool: "docker login*" }, /✘ log docker in to .* failed/],
  ["push", { tool: "docker push*" }, /✘ push .* failed/],
  ["push confirmation", { aws: "ecr:DescribeImages@2" }, /✘ confirm .* is in the repository failed/],
  ["web build", { tool: "npm run build:web" }, /✘ build the web app failed/],
  ["synth with the tag", { tool: "synth APP_IMAGE_TAG=?*" }, /✘ synthesize stacks with image .* failed/],
  ["image protection (manifest read)", { aws: "ecr:BatchGetImage" }, /✘ protect .* from the lifecycle policy .* failed/],
  ["image protection (tag put)", { aws: "ecr:PutImage" }, /✘ protect .* from the lifecycle policy .* failed/],
  ["app init", { tool: "terraform -chdir=cdktf.out/stacks/app init*" }, /✘ terraform init app failed/],
  ["app plan", { tool: "terraform -chdir=cdktf.out/stacks/app plan*" }, /✘ terraform plan app failed/],
  [
    "app plan inspection",
    { tool: "terraform -chdir=cdktf.out/stacks/app show*" },
    /✘ check that the plan of app replaces no ECR repository or DynamoDB table and deletes nothing protected failed/,
  ],
  ["app apply (half-way)", { tool: "terraform -chdir=cdktf.out/stacks/app apply*" }, /✘ terraform apply app failed/],
  ["app outputs", { tool: "terraform -chdir=cdktf.out/stacks/app output*" }, /✘ read the outputs of app failed/],
  ["smoke check", { smoke: true }, /✘ smoke check the deployed stage failed/],
];

/** Registers the stage server, the AWS stub and one test per step: call it once at a test file's top level. */
export function describeRerunCases(steps: [string, Failure, RegExp][]): void {
  // The stage's API and web app: healthy unless `stageDown` (the smoke check's own failure case).
  let stageDown = false;
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      const answers: Record<string, unknown> = {
        "/api/health": { status: "ok" },
        "/api/users?limit=1": { items: [], nextCursor: null },
        "/web/config.json": { apiUrl: `${base}/api` },
      };
      const body = answers[req.url ?? ""];
      res.writeHead(stageDown ? 502 : body ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(stageDown ? { message: "Bad Gateway" } : (body ?? {})));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const stub = useAwsStub();
  let fx: Fixture;
  afterEach(() => {
    fx.cleanup();
    stageDown = false;
  });

  function setUp() {
    fx = freshFixture(stub);
    fx.setOutputs("registry", {
      repository_url: "123456789012.dkr.ecr.us-east-1.amazonaws.com/backend-api",
      repository_name: "backend-api",
    });
    fx.setOutputs("app", { api_url: `${base}/api`, web_url: `${base}/web`, table_name: "users" });
  }

  const deploy = () =>
    runDeploy(fx.options({ yes: true, skipSmoke: false, smoke: { deadlineMs: 300, intervalMs: 50, requestTimeoutMs: 2000 } }));

  describe("a deploy that failed once finishes when run again", () => {
    it.each(steps)("%s", async (_name, failure, failedLine) => {
      setUp();
      if ("tool" in failure) fx.flag("fail-once", failure.tool);
      if ("aws" in failure) stub.world.failOnce = [failure.aws];
      if ("smoke" in failure) stageDown = true;

      await expect(deploy()).rejects.toBeInstanceOf(DeployFailed);
      expect(fx.printed()).toMatch(failedLine);
      if ("tool" in failure) expect(existsSync(join(fx.state, "fail-once.done"))).toBe(true);
      if ("aws" in failure) expect(stub.world.failOnce).toEqual([]);
      stageDown = false;

      const record = await deploy();
      const tag = contentTag(fx.root);
      expect(record?.image.tag).toBe(tag);
      for (const stack of ["registry", "app"]) expect(existsSync(join(fx.state, `${stack}.applied`)), stack).toBe(true);
      expect(
        readFileSync(join(fx.state, "ecr-images"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => l.split("\t")[0]),
      ).toEqual([tag]);
      expect(stub.imageTagged(tag)!.tags).toEqual([tag, `deployed-${tag}`]);
      expect(JSON.parse(readFileSync(join(fx.root, ".deploy", "dev.json"), "utf8")).image.tag).toBe(tag);
      expect(fx.printed()).toMatch(/✔ smoke check the deployed stage/);

      // And a third run has nothing left to do.
      const pushes = fx.calls().filter((c) => c.args[0] === "push").length;
      const applies = fx.calls().filter((c) => c.args[1] === "apply").length;
      await deploy();
      expect(fx.calls().filter((c) => c.args[0] === "push")).toHaveLength(pushes);
      expect(fx.calls().filter((c) => c.args[1] === "apply")).toHaveLength(applies);
    });
  });
}

// Where the two test files split STEPS: the first half ends with the image build, the second starts at
// the ECR login (13 and 14 cases, about the same time).
const SPLIT = STEPS.findIndex(([name]) => name === "ECR token");
if (SPLIT < 1) throw new Error('rerun-cases: no step "ECR token" to split STEPS at');
/** Steps up to the image build (rerun-until-build.test.ts). */
export const STEPS_UNTIL_BUILD = STEPS.slice(0, SPLIT);
/** Steps from the ECR login to the smoke check (rerun-from-push.test.ts). */
export const STEPS_FROM_PUSH = STEPS.slice(SPLIT);
