/** npm run destroy: app then registry, refusals for a protected or non-empty table, emptying first. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { runDestroy } from "../../scripts/deploy/destroy.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { digestOf } from "./support/aws-stub.js";
import { contentTag, type Fixture, freshFixture, setDeployedOutputs, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
let unprotected: string;

beforeEach(async () => {
  fx = freshFixture(stub);
  setDeployedOutputs(fx, {
    web_url: "https://d1.cloudfront.net",
    api_url: "https://a.execute-api.us-east-1.amazonaws.com",
    table_name: "users",
    frontend_bucket_name: "web-bucket",
  });
  stub.world.tableItems = { users: 0 };
  stub.world.bucketVersions = {
    "web-bucket": [
      { key: "index.html", versionId: "v1" },
      { key: "index.html", versionId: "v2" },
      { key: "old.js", versionId: "v3", deleteMarker: true },
    ],
  };
  unprotected = fx.writeConfig({ table_deletion_protection: false });
  await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: unprotected } }));
  stub.calls = [];
});
afterEach(() => fx.cleanup());

const destroyCalls = () =>
  fx
    .calls()
    .filter((c) => c.tool === "terraform" && c.args[1] === "destroy")
    .map((c) => c.args[0]);
/** AWS calls that delete or unprotect something (not s3:DeleteObject: the stage lock, released at the end). */
const deletions = () => stub.operations().filter((o) => /Delete|UpdateTable/.test(o) && o !== "s3:DeleteObject");
/** Printed lines starting with ✔, without timings, in order. */
const doneSteps = () =>
  fx
    .printed()
    .split("\n")
    .filter((l) => l.startsWith("✔"))
    .map((l) => l.replace(/ \(\d+\.\d s\).*/, "").slice(2));

describe("npm run destroy", () => {
  it("destroys app then registry, emptying the web bucket before the app and the repository before the registry", async () => {
    const destroyed = await runDestroy(fx.options({ yes: true, env: { APP_CONFIG: unprotected } }));
    expect(destroyed).toEqual(["app", "registry"]);
    expect(destroyCalls()).toEqual(["-chdir=cdktf.out/stacks/app", "-chdir=cdktf.out/stacks/registry"]);
    const steps = doneSteps();
    const at = (s: string) => steps.findIndex((l) => l.startsWith(s));
    expect(at("empty bucket web-bucket")).toBeLessThan(at("terraform destroy app"));
    expect(at("terraform destroy app")).toBeLessThan(at("delete the images in backend-api"));
    expect(at("delete the images in backend-api")).toBeLessThan(at("terraform destroy registry"));
    expect(stub.world.bucketVersions["web-bucket"]).toEqual([]);
    const batchDelete = stub.calls.find((c) => c.operation === "BatchDeleteImage")!;
    expect(JSON.parse(batchDelete.body).imageIds).toEqual([{ imageDigest: digestOf(`${contentTag(fx.root)}`) }]);
    expect(existsSync(join(fx.root, ".deploy", "dev.json"))).toBe(false);
  });

  it("synthesizes the app stack against the deployed image so its image lookup still resolves", async () => {
    const before = fx.calls().length;
    await runDestroy(fx.options({ yes: true, env: { APP_CONFIG: unprotected } }));
    const synth = fx
      .calls()
      .slice(before)
      .find((c) => c.tool === "synth")!;
    expect(synth.args[0]).toBe(`APP_IMAGE_TAG=${contentTag(fx.root)}`);
  });

  it("refuses while table_deletion_protection is on, destroying nothing", async () => {
    await expect(runDestroy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain("table_deletion_protection is true in the config: the table users and its data are protected.");
    expect(destroyCalls()).toEqual([]);
    expect(deletions()).toEqual([]);
  });

  it("refuses while the table holds data, destroying nothing", async () => {
    stub.world.tableItems = { users: 3 };
    await expect(runDestroy(fx.options({ yes: true, env: { APP_CONFIG: unprotected } }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain("the table users holds data.");
    expect(fx.printed()).toContain("pass --force");
    expect(destroyCalls()).toEqual([]);
    expect(stub.world.bucketVersions["web-bucket"]).toHaveLength(3);
  });

  it("--force turns the table's deletion protection off and destroys it with its data", async () => {
    stub.world.tableItems = { users: 3 };
    await runDestroy(fx.options({ yes: true, force: true }));
    expect(stub.operations()).toContain("dynamodb:UpdateTable");
    expect(JSON.parse(stub.calls.find((c) => c.operation === "UpdateTable")!.body)).toEqual({
      TableName: "users",
      DeletionProtectionEnabled: false,
    });
    expect(destroyCalls()).toEqual(["-chdir=cdktf.out/stacks/app", "-chdir=cdktf.out/stacks/registry"]);
  });

  it("--force with sign-in refuses while the user pool is protected (Cognito has no one-call switch), destroying nothing", async () => {
    const withSignIn = fx.writeConfig({ auth: "cognito" });
    await expect(runDestroy(fx.options({ yes: true, force: true, env: { APP_CONFIG: withSignIn } }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain('the user pool (auth: "cognito") follows it, and --force cannot turn its protection off.');
    expect(destroyCalls()).toEqual([]);
    expect(deletions()).toEqual([]);
  });

  it("asks for confirmation, naming what will be lost; no answer destroys nothing", async () => {
    await expect(runDestroy(fx.options({ answers: "", env: { APP_CONFIG: unprotected } }))).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toContain("the table users and every item in it");
    expect(out).toContain("the bucket web-bucket with every object version in it");
    expect(out).toContain("Destroy all of this? [y/N]");
    expect(destroyCalls()).toEqual([]);
  });

  it("stops with the failing stack's output when a terraform destroy fails, leaving the registry", async () => {
    fx.flag("app.destroy-error", "deleting S3 Bucket (web-bucket): BucketNotEmpty");
    await expect(runDestroy(fx.options({ answers: "y\n", env: { APP_CONFIG: unprotected } }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain("| Error: deleting S3 Bucket (web-bucket): BucketNotEmpty");
    expect(destroyCalls()).toEqual(["-chdir=cdktf.out/stacks/app"]);
  });

  it("says so when nothing is deployed", async () => {
    await runDestroy(fx.options({ yes: true, env: { APP_CONFIG: unprotected } }));
    await expect(runDestroy(fx.options({ yes: true, env: { APP_CONFIG: unprotected } }))).resolves.toEqual([]);
    expect(fx.printed()).toContain('Nothing to destroy: no stack of stage "dev" has resources in its state.');
  });
});
