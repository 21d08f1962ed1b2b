/** diff and destroy when the image the last deploy recorded is no longer in the repository. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { runDestroy } from "../../scripts/deploy/destroy.js";
import { runDiff } from "../../scripts/deploy/diff.js";
import { digestOf } from "./support/aws-stub.js";
import { contentTag, type Fixture, freshFixture, setDeployedOutputs, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
let config: string;
let tag: string;
beforeEach(async () => {
  fx = freshFixture(stub);
  setDeployedOutputs(fx);
  config = fx.writeConfig({ table_deletion_protection: false });
  await runDeploy(fx.options({ yes: true, env: { APP_CONFIG: config } }));
  tag = contentTag(fx.root);
  fx.flag("app.plan", "2");
});
afterEach(() => fx.cleanup());

const synthTags = (from: number) =>
  fx
    .calls()
    .slice(from)
    .filter((c) => c.tool === "synth")
    .map((c) => c.args[0]);
/** Takes one tag off the image (as a manual `aws ecr batch-delete-image --image-ids imageTag=...` would). */
const untag = (t: string) => {
  const image = stub.imageTagged(t)!;
  image.tags = image.tags.filter((x) => x !== t);
};

describe("diff", () => {
  it("plans against the recorded tag while it is there", async () => {
    const before = fx.calls().length;
    await expect(runDiff(fx.options({ env: { APP_CONFIG: config } }))).resolves.toEqual({ registry: "no changes", app: "changes" });
    expect(synthTags(before)).toEqual([`APP_IMAGE_TAG=${tag}`]);
  });

  it("when the recorded tag is gone but the image is not, plans against the same image under its deployed- tag", async () => {
    untag(tag);
    const before = fx.calls().length;
    await expect(runDiff(fx.options({ env: { APP_CONFIG: config } }))).resolves.toEqual({ registry: "no changes", app: "changes" });
    expect(synthTags(before)).toEqual([`APP_IMAGE_TAG=deployed-${tag}`]);
    expect(fx.printed()).toContain(`Image: deployed-${tag} (the deployed image ${digestOf(tag)}; its tag ${tag} is gone)`);
  });

  it("when the image itself is gone, does not plan the app stack (no wrong plan) and says what to do", async () => {
    stub.deleteImage(digestOf(tag));
    const before = fx.calls().length;
    const result = await runDiff(fx.options({ env: { APP_CONFIG: config } }));
    expect(result).toEqual({ registry: "no changes", app: `not planned: the deployed image ${tag} is gone from the repository` });
    expect(
      fx
        .calls()
        .slice(before)
        .filter((c) => c.args[1] === "plan")
        .map((c) => c.args[0]),
    ).toEqual(["-chdir=cdktf.out/stacks/registry"]);
    expect(fx.printed()).toContain("`npm run deploy` builds and pushes the current sources and rolls the function onto them");
  });
});

describe("destroy", () => {
  it("when the recorded image is gone, destroys the app stack from its state without a refresh, then the registry", async () => {
    stub.deleteImage(digestOf(tag));
    const before = fx.calls().length;
    await expect(runDestroy(fx.options({ yes: true, env: { APP_CONFIG: config } }))).resolves.toEqual(["app", "registry"]);
    const destroys = fx
      .calls()
      .slice(before)
      .filter((c) => c.args[1] === "destroy")
      .map((c) => c.args.join(" "));
    expect(destroys).toEqual([
      "-chdir=cdktf.out/stacks/app destroy -input=false -no-color -lock-timeout=60s -auto-approve -refresh=false",
      "-chdir=cdktf.out/stacks/registry destroy -input=false -no-color -lock-timeout=60s -auto-approve",
    ]);
    expect(fx.printed()).toContain(
      `The deployed image ${tag} is gone from backend-api: app is destroyed from its state, without a refresh (-refresh=false).`,
    );
  });

  it("when the whole repository is gone (deleted by hand), still destroys, without the refresh", async () => {
    stub.world.repositoryExists = false;
    const before = fx.calls().length;
    await expect(runDestroy(fx.options({ yes: true, env: { APP_CONFIG: config } }))).resolves.toEqual(["app", "registry"]);
    expect(
      fx
        .calls()
        .slice(before)
        .find((c) => c.args[1] === "destroy")!.args,
    ).toContain("-refresh=false");
  });

  it("while the image is there, destroys with the usual refresh", async () => {
    const before = fx.calls().length;
    await runDestroy(fx.options({ yes: true, env: { APP_CONFIG: config } }));
    expect(
      fx
        .calls()
        .slice(before)
        .filter((c) => c.args.includes("-refresh=false")),
    ).toEqual([]);
  });
});
