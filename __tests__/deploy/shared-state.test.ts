/**
 * Shared state (docs/team.md) through the orchestration: the fake terraform keeps each stack's
 * state in the shared FAKE_STATE directory (standing in for the bucket's state objects), and the AWS
 * stub holds the bucket, the records beside the state and the stage lock. A second checkout is a
 * second project directory with empty .deploy/ and .state/, pointed at the same "remote".
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { runDestroy } from "../../scripts/deploy/destroy.js";
import { runDiff } from "../../scripts/deploy/diff.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { loadDeployedStage, loadDeployedStageShared } from "../../scripts/ops/stage.js";
import { ACCOUNT } from "./support/aws-stub.js";
import { callLine } from "./support/fake-tools.js";
import { contentTag, createFixture, type Fixture, freshFixture, setDeployedOutputs, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
const BUCKET = `serverless-starter-tfstate-${ACCOUNT}-us-east-1`;
let fx: Fixture;
let other: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
  other = createFixture(); // a second checkout: its own project directory, nothing in .deploy/ or .state/
  setDeployedOutputs(fx);
});
afterEach(() => {
  fx.cleanup();
  other.cleanup();
});

/** Options for the second checkout, sharing the first one's "remote" (fake terraform state + AWS stub). */
const fromOther = (extra: Parameters<Fixture["options"]>[0] = {}) =>
  other.options({ ...extra, env: { FAKE_STATE: fx.state, ...extra.env } });
const otherCalls = () => fx.calls().filter((c) => c.cwd.startsWith(other.root));
const object = (key: string) => stub.world.objects[`${BUCKET}/serverless-starter/dev/${key}`];

describe("shared state", () => {
  it("a second checkout with empty .deploy/ and .state/ diffs, deploys and destroys the stage the first one deployed", async () => {
    const tag = contentTag(fx.root);
    await runDeploy(fx.options({ yes: true }));
    expect(JSON.parse(object("deploy-record.json")!).image.tag).toBe(tag);
    expect(JSON.parse(object("stage-target.json")!).region).toBe("us-east-1");
    expect(existsSync(join(other.root, ".deploy"))).toBe(false);

    // diff: against the image the first checkout deployed (its record came from the bucket), nothing to change.
    expect(await runDiff(fromOther())).toEqual({ registry: "no changes", app: "no changes" });
    const diffSynth = otherCalls().find((c) => c.tool === "synth")!;
    expect(diffSynth.args).toEqual([`APP_IMAGE_TAG=${tag}`, "stage=dev", `APP_STATE_BUCKET=${BUCKET}`]);
    expect(other.printed()).toContain(`Image: ${tag} (the last deploy's, from .deploy/)`);

    // deploy: the same stage, found in the bucket: no "already exists", no rebuild, nothing applied.
    const before = fx.calls().length;
    const record = await runDeploy(fromOther({ yes: true }));
    const deployLines = fx.calls().slice(before).map(callLine);
    expect(deployLines.filter((l) => / apply |docker push|state push/.test(l))).toEqual([]);
    expect(record!.image.tag).toBe(tag);
    expect(other.printed()).not.toContain("exists outside its state");

    // destroy: both stacks, and the records leave the bucket with them.
    expect(await runDestroy(fromOther({ yes: true }))).toEqual(["app", "registry"]);
    expect(existsSync(join(fx.state, "app.applied"))).toBe(false);
    expect(existsSync(join(fx.state, "registry.applied"))).toBe(false);
    expect(object("deploy-record.json")).toBeUndefined();
    expect(object("stage-target.json")).toBeUndefined();
    expect(object("deploy.lock")).toBeUndefined();
  });

  it("status and logs of a second checkout find the stage's record (commit, image, URLs) in the bucket", async () => {
    const record = await runDeploy(fx.options({ yes: true }));
    const env = { ...process.env, APP_CONFIG: "" };
    expect(loadDeployedStage(other.root, env).record).toBeUndefined();
    const stage = await loadDeployedStageShared(other.root, env);
    expect(stage.record).toEqual(record);
    expect(stage.apiUrl).toBe("https://a.example");
    expect(existsSync(join(other.root, ".deploy", "dev.json"))).toBe(true);
  });

  it("every synth of a deploy gets the bucket (APP_STATE_BUCKET), so the backend and the remote-state read point at it", async () => {
    await runDeploy(fx.options({ yes: true }));
    const synths = fx.calls().filter((c) => c.tool === "synth");
    expect(synths).toHaveLength(2);
    for (const s of synths) expect(s.args[2]).toBe(`APP_STATE_BUCKET=${BUCKET}`);
  });

  it("the first deploy creates the bucket versioned and private; a later one reuses it without touching its settings", async () => {
    await runDeploy(fx.options({ yes: true }));
    expect(stub.world.buckets[BUCKET]).toMatchObject({ versioning: true });
    expect(stub.operations()).toEqual(
      expect.arrayContaining(["s3:CreateBucket", "s3:PutPublicAccessBlock", "s3:PutBucketEncryption", "s3:PutBucketPolicy"]),
    );
    stub.calls = [];
    await runDeploy(fromOther({ yes: true }));
    expect(stub.operations().filter((o) => /CreateBucket|PutBucket|PutPublicAccessBlock/.test(o))).toEqual([]);
    expect(other.printed()).toMatch(/✔ check the state bucket .* reused/);
  });

  it("with state_backend local, no bucket is made or used", async () => {
    const local = fx.writeConfig({ state_backend: "local" });
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: local } }));
    expect(stub.operations().filter((o) => o.startsWith("s3:"))).toEqual([]);
    expect(fx.printed()).toContain('State: local, in .state/ on this machine only (state_backend "local").');
    expect(fx.calls().find((c) => c.tool === "synth")!.args[2]).toBe("APP_STATE_BUCKET=");
  });
});

describe("resources that exist without state", () => {
  it("stops before changing anything, naming what exists and how to recover", async () => {
    stub.world.unmanaged.repositories = ["backend-api"];
    stub.world.tableItems = { users: 0 };
    stub.world.buckets["my-web-bucket"] = { versioning: true };
    writeFileSync(
      join(fx.state, "app.resources.json"),
      JSON.stringify({
        resource: {
          aws_dynamodb_table: { table_43360BC0: { name: "users" } },
          aws_s3_bucket: { frontend_bucket_1A2B: { bucket: "my-web-bucket" } },
          aws_lambda_function: { api_function_2AE78E32: { function_name: "backend-api" } },
        },
      }),
    );
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toContain("✘ check for resources that exist without state");
    expect(out).toContain(`s3://${BUCKET}/serverless-starter/dev/ holds no state for registry, app`);
    expect(out).toContain("  - ECR repository backend-api (registry: aws_ecr_repository.ecr)");
    expect(out).toContain("  - DynamoDB table users (app: aws_dynamodb_table.table_43360BC0)");
    expect(out).toContain("  - S3 bucket my-web-bucket (app: aws_s3_bucket.frontend_bucket_1A2B)");
    expect(out).not.toContain("Lambda function backend-api"); // not in the account
    expect(out).toContain("run npm run deploy there once: it moves that state into the bucket");
    expect(out).toContain("set state_bucket (or export APP_STATE_BUCKET) to that bucket");
    expect(out).toContain("terraform -chdir=cdktf.out/stacks/registry import aws_ecr_repository.ecr backend-api");
    expect(out).toContain("--stage <name>");
    // Nothing changed: no plan or apply, no image, no record of a deployed stage.
    expect(
      fx
        .calls()
        .map(callLine)
        .filter((l) => / (plan|apply) |docker (buildx build|push)|npm run/.test(l)),
    ).toEqual([]);
    expect(object("stage-target.json")).toBeUndefined();
    expect(object("deploy.lock")).toBeUndefined(); // released
  });

  it("does not look once the stack has state (a re-deploy of its own resources)", async () => {
    await runDeploy(fx.options({ yes: true }));
    stub.calls = [];
    await runDeploy(fx.options({ yes: true }));
    expect(stub.operations()).not.toContain("ecr:DescribeRepositories");
  });
});

describe("two runs of one stage", () => {
  it("a second deploy stops at once while another holds the stage lock, saying who and how to remove a stale one", async () => {
    stub.world.buckets[BUCKET] = { versioning: true };
    const lock = {
      command: "deploy",
      by: "arn:aws:iam::123456789012:user/alice",
      host: "alice-laptop",
      pid: 4242,
      since: "2026-11-30T12:00:00.000Z",
    };
    stub.world.objects[`${BUCKET}/serverless-starter/dev/deploy.lock`] = JSON.stringify(lock);
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toContain("✘ lock the stage");
    expect(out).toContain(
      'stage "dev" is locked by another run: npm run deploy by arn:aws:iam::123456789012:user/alice on alice-laptop (pid 4242) since 2026-11-30T12:00:00.000Z.',
    );
    expect(out).toContain(`aws s3api delete-object --bucket ${BUCKET} --key serverless-starter/dev/deploy.lock`);
    expect(fx.calls().map((c) => c.tool)).toEqual(["terraform", "docker", "docker"]); // the prerequisite probes; not even the synth
    expect(JSON.parse(object("deploy.lock")!)).toEqual(lock); // the other run's lock stays
  });

  it("destroy takes the same lock", async () => {
    await runDeploy(fx.options({ yes: true }));
    stub.world.objects[`${BUCKET}/serverless-starter/dev/deploy.lock`] = JSON.stringify({ command: "deploy", by: "ci" });
    await expect(runDestroy(fx.options({ yes: true }))).rejects.toThrow(/lock the stage/);
    expect(existsSync(join(fx.state, "app.applied"))).toBe(true);
  });

  it("the lock is released when a deploy fails, so the next one can run", async () => {
    fx.flag("registry.plan-error", "boom");
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    expect(object("deploy.lock")).toBeUndefined();
  });

  it("terraform waits a while for a state lock another terraform holds (-lock-timeout) before it reports it", async () => {
    await runDeploy(fx.options({ yes: true }));
    const changing = fx
      .calls()
      .filter((c) => c.tool === "terraform" && ["plan", "apply"].includes(c.args[1]!))
      .map((c) => c.args);
    expect(changing.length).toBeGreaterThan(0);
    for (const args of changing) expect(args).toContain("-lock-timeout=60s");
  });
});

describe("moving a local stage to shared state", () => {
  it("the next deploy pushes each stack's local state into the bucket and keeps the local file as a backup", async () => {
    mkdirSync(join(fx.root, ".state"));
    const states: Record<string, string> = {};
    for (const id of ["registry", "app"]) {
      states[id] = JSON.stringify({ version: 4, lineage: `l-${id}`, resources: [{ type: "aws_thing" }] });
      writeFileSync(join(fx.root, ".state", `${id}.tfstate`), states[id]!);
    }
    await runDeploy(fx.options({ yes: true }));
    const out = fx.printed();
    for (const id of ["registry", "app"]) {
      expect(out).toContain(
        `Moving the local state of ${id} (.state/${id}.tfstate) into s3://${BUCKET}/serverless-starter/dev/${id}.tfstate.`,
      );
      expect(readFileSync(join(fx.state, `${id}.pushed`), "utf8")).toBe(states[id]); // what terraform state push uploaded
    }
    const push = fx.calls().find((c) => c.args[1] === "state" && c.args[2] === "push")!;
    expect(push.args).toEqual([
      "-chdir=cdktf.out/stacks/registry",
      "state",
      "push",
      "-lock-timeout=60s",
      join(fx.root, ".state", "registry.tfstate"),
    ]);
    const kept = readdirSync(join(fx.root, ".state")).sort();
    expect(kept).toHaveLength(2);
    for (const id of ["app", "registry"]) {
      const backup = kept.find((f) => f.startsWith(`${id}.tfstate.moved-`))!;
      expect(readFileSync(join(fx.root, ".state", backup), "utf8")).toBe(states[id]);
      expect(out).toContain(`kept the local file as .state/${backup}`);
    }
    // With state in the bucket, both stacks count as deployed: nothing looked for outside the state.
    expect(stub.operations()).not.toContain("ecr:DescribeRepositories");
  });

  it("refuses when the bucket already holds state for a stack that also has a local file, changing nothing", async () => {
    await runDeploy(fx.options({ yes: true }));
    mkdirSync(join(fx.root, ".state"));
    writeFileSync(join(fx.root, ".state", "registry.tfstate"), "{}");
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toThrow(/move the local state of registry/);
    expect(fx.printed()).toContain("only a person can tell which one is current");
    expect(existsSync(join(fx.root, ".state", "registry.tfstate"))).toBe(true);
    expect(fx.calls().some((c) => c.args[2] === "push")).toBe(false);
  });

  it("state a named state_bucket holds under the earlier key layout (<project>/<stack>.tfstate) moves to the stage's key", async () => {
    stub.world.buckets["team-state"] = { versioning: true };
    stub.world.objects["team-state/serverless-starter/registry.tfstate"] = '{"version":4,"lineage":"old-registry"}';
    const named = fx.writeConfig({ state_bucket: "team-state" });
    await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: named } }));
    expect(fx.printed()).toContain(
      "Moving the state of registry from s3://team-state/serverless-starter/registry.tfstate to serverless-starter/dev/registry.tfstate (the old object stays).",
    );
    expect(readFileSync(join(fx.state, "registry.pushed"), "utf8")).toBe('{"version":4,"lineage":"old-registry"}');
    expect(stub.world.objects["team-state/serverless-starter/registry.tfstate"]).toBeDefined();
    expect(existsSync(join(fx.state, "app.pushed"))).toBe(false); // nothing under app's old key
    expect(stub.operations()).not.toContain("ecr:DescribeRepositories"); // registry has state now
  });

  it("diff and destroy of a stage that only has local state say to deploy once (or choose local state), changing nothing", async () => {
    mkdirSync(join(fx.root, ".state"));
    writeFileSync(join(fx.root, ".state", "registry.tfstate"), "{}");
    await expect(runDestroy(fx.options({ yes: true }))).rejects.toThrow(/find the stage's state/);
    expect(fx.printed()).toContain("this stage was deployed with local state");
    expect(fx.printed()).toContain('"state_backend": "local"');
    expect(stub.world.buckets[BUCKET]).toBeUndefined();
    await expect(runDiff(fx.options())).rejects.toThrow(/find the stage's state/);
  });
});
