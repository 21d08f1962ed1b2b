/**
 * The image of `npm run deploy`: its tag comes from what goes into it, it is built without
 * attestations and pushed as a single-platform manifest, its manifest type is checked before the
 * app stack, --rebuild replaces a bad one, and the image a stage runs is kept out of the lifecycle
 * policy's reach. Fake docker/podman/terraform on PATH, the local AWS stub for ECR.
 */

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { IMAGE_INPUTS, imageInputFiles, imageTag } from "../../scripts/deploy/image-tag.js";
import { DEFAULT_ROOT } from "../../scripts/deploy/project.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { runCommandInProcess } from "../support/command-in-process.js";
import { ACCOUNT, digestOf } from "./support/aws-stub.js";
import { callLine } from "./support/fake-tools.js";
import { contentTag, type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
const REPO_URL = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/backend-api`;
const INDEX = "application/vnd.oci.image.index.v1+json";
const OCI = "application/vnd.oci.image.manifest.v1+json";

function setUp(tools?: Parameters<typeof freshFixture>[1]) {
  fx = freshFixture(stub, tools);
  fx.setOutputs("registry", { repository_url: REPO_URL, repository_name: "backend-api" });
  fx.setOutputs("app", { web_url: "https://d1.cloudfront.net", api_url: "https://a.example" });
}
beforeEach(() => setUp());
afterEach(() => fx.cleanup());

const pushes = () =>
  fx
    .calls()
    .filter((c) => c.args[0] === "push")
    .map((c) => c.args.at(-1)!.split(":").pop()!);
const appSynths = () => fx.calls().filter((c) => c.tool === "synth" && c.args[0] !== "APP_IMAGE_TAG=");
const write = (path: string, text: string) => {
  mkdirSync(join(fx.root, path, ".."), { recursive: true });
  writeFileSync(join(fx.root, path), text);
};

describe("the image tag comes from what goes into the image", () => {
  it("is a content hash plus the architecture, the same for the same files", () => {
    expect(contentTag(fx.root)).toMatch(/^[0-9a-f]{12}-arm64$/);
    expect(contentTag(fx.root, "x86_64")).toBe(contentTag(fx.root).replace(/-arm64$/, "-x86_64"));
    expect(imageTag(fx.root, "arm64")).toBe(imageTag(fx.root, "arm64"));
  });

  it("a README edit, an untracked app.config.json, web changes and hidden files change nothing: no build, no push", async () => {
    await runDeploy(fx.options({ yes: true }));
    const tag = contentTag(fx.root);
    write("README.md", "# project\n\nnew docs\n");
    write("app.config.json", '{ "stage": "dev" }\n');
    write("web/src/main.ts", "console.log(1);\n");
    write("backend/src/.DS_Store", "x");
    write("backend/dist/index.mjs", "built");
    expect(contentTag(fx.root)).toBe(tag);
    await runDeploy(fx.options({ yes: true }));
    expect(pushes()).toEqual([tag]);
    expect(appSynths().map((c) => c.args[0])).toEqual([`APP_IMAGE_TAG=${tag}`, `APP_IMAGE_TAG=${tag}`]);
  });

  it.each([
    ["a backend source", "backend/src/handler.ts", "export const handler = () => 201;\n"],
    ["a new backend source", "backend/src/extra/util.ts", "export {};\n"],
    ["the lock file", "package-lock.json", '{"lockfileVersion":3,"packages":{}}\n'],
    ["the Dockerfile", "backend/Dockerfile", "FROM public.ecr.aws/lambda/nodejs:22\n"],
    ["the build script", "scripts/build-backend.ts", "// minify: false\n"],
    ["the tsconfig esbuild reads", "tsconfig.json", '{"compilerOptions":{}}\n'],
  ])("changing %s builds and pushes a new tag", async (_what, path, text) => {
    await runDeploy(fx.options({ yes: true }));
    const before = contentTag(fx.root);
    write(path, text);
    await runDeploy(fx.options({ yes: true }));
    expect(pushes()).toHaveLength(2);
    expect(pushes()[1]).not.toBe(before);
    expect(pushes()[1]).toBe(contentTag(fx.root));
  });

  it("every input it names exists in this repository (a moved build script must not drop out of the hash)", () => {
    for (const input of IMAGE_INPUTS) expect(existsSync(join(DEFAULT_ROOT, input)), input).toBe(true);
    const files = imageInputFiles(DEFAULT_ROOT);
    expect(files).toContain("backend/src/handler.ts");
    expect(files.some((f) => f.startsWith("web/") || f === "README.md")).toBe(false);
  });

  it("prints the same tag from the command line, for a push by hand", async () => {
    // `tsx scripts/deploy/image-tag.ts x86_64`, run in this process (support/command-in-process.ts)
    const run = await runCommandInProcess("scripts/deploy/image-tag.ts", ["x86_64"]);
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.trim()).toBe(imageTag(DEFAULT_ROOT, "x86_64"));
  });

  it("a missing input stops the deploy before anything runs, naming it", async () => {
    execFileSync("rm", [join(fx.root, "scripts", "build-backend.ts")]);
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    expect(fx.printed()).toContain("scripts/build-backend.ts is listed as an input of the Lambda image");
    expect(fx.calls().filter((c) => c.tool !== "terraform" && c.tool !== "docker")).toEqual([]);
  });
});

describe("files the project writes are git-ignored", () => {
  it.each([
    "app.config.json",
    ".deploy/dev.json",
    ".deploy/dev.target.json",
    "cdktf.out/manifest.json",
    "backend/dist/index.mjs",
    "web/dist/index.html",
    ".state/registry.tfstate",
    ".dev-data/users.json",
    "tfplan",
  ])("%s", (path) => {
    // --no-index: whether the rules ignore the path, tracked or not; exit 0 means ignored.
    expect(() => execFileSync("git", ["-C", DEFAULT_ROOT, "check-ignore", "-q", "--no-index", path])).not.toThrow();
  });
});

describe("the build has no attestations and pushes one platform", () => {
  it("docker: buildx with --provenance=false --sbom=false and BUILDX_NO_DEFAULT_ATTESTATIONS=1", async () => {
    await runDeploy(fx.options({ yes: true }));
    const build = fx.calls().find((c) => c.tool === "docker" && c.args[1] === "build")!;
    expect(build.args).toEqual([
      "buildx",
      "build",
      "--platform",
      "linux/arm64",
      "--file",
      "backend/Dockerfile",
      "--tag",
      `${REPO_URL}:${contentTag(fx.root)}`,
      "--provenance=false",
      "--sbom=false",
      "--load",
      "backend",
    ]);
    expect(readFileSync(join(fx.state, "build-env"), "utf8")).toBe("BUILDX_NO_DEFAULT_ATTESTATIONS=1\n");
    expect(fx.calls().find((c) => c.args[0] === "push")!.args).toEqual(["push", `${REPO_URL}:${contentTag(fx.root)}`]);
  });

  it("podman: builds a Docker-format image and pushes it as a v2s2 manifest", async () => {
    fx.cleanup();
    setUp({ docker: false, podman: true });
    await runDeploy(fx.options({ yes: true }));
    const ref = `${REPO_URL}:${contentTag(fx.root)}`;
    expect(fx.calls().find((c) => c.tool === "podman" && c.args[0] === "build")!.args).toEqual([
      "build",
      "--platform",
      "linux/arm64",
      "--file",
      "backend/Dockerfile",
      "--tag",
      ref,
      "--format",
      "docker",
      "backend",
    ]);
    expect(fx.calls().find((c) => c.tool === "podman" && c.args[0] === "push")!.args).toEqual(["push", "--format", "v2s2", ref]);
  });
});

describe("the manifest is checked before the app stack", () => {
  it("an image index stops the deploy after the push, before the app stack, and says why", async () => {
    fx.flag("push-media-type", INDEX);
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    const out = fx.printed();
    expect(out).toMatch(/✘ check that Lambda can run [0-9a-f]{12}-arm64 \(single-platform manifest\)/);
    expect(out).toContain(`its manifest is a ${INDEX} (a manifest list / image index`);
    expect(out).toContain("Lambda runs only a single-platform image");
    expect(out).toContain("next: rebuild a single-platform image without attestations: npm run deploy -- --rebuild");
    expect(
      fx
        .calls()
        .map(callLine)
        .some((l) => /stacks\/app (plan|apply)/.test(l)),
    ).toBe(false);
    expect(appSynths()).toEqual([]);
    expect(stub.operations()).not.toContain("ecr:PutImage");
  });

  it("accepts a single-platform OCI manifest", async () => {
    fx.flag("push-media-type", OCI);
    await runDeploy(fx.options({ yes: true }));
    expect(fx.printed()).toMatch(new RegExp(`✔ check that Lambda can run .* ${OCI.replace(/[.+]/g, "\\$&")}`));
  });

  it("a bad image already under the tag is caught too, although nothing is pushed", async () => {
    fx.flag("push-media-type", INDEX);
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    expect(pushes()).toHaveLength(1);
    expect(fx.printed()).toMatch(/build and push the image: skipped \(.*npm run deploy -- --rebuild replaces it\)/);
    expect(appSynths()).toEqual([]);
  });
});

describe("--rebuild replaces the image a tag holds", () => {
  it("in an immutable repository pushes <tag>-rebuild-1, deploys it, and later deploys of the same sources keep it", async () => {
    const tag = contentTag(fx.root);
    fx.flag("push-media-type", INDEX);
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    fx.flag("push-media-type", "application/vnd.docker.distribution.manifest.v2+json");
    const record = await runDeploy(fx.options({ yes: true, rebuild: true }));
    expect(stub.operations()).toContain("ecr:DescribeRepositories");
    expect(pushes()).toEqual([tag, `${tag}-rebuild-1`]);
    expect(record!.image).toEqual({
      tag: `${tag}-rebuild-1`,
      digest: digestOf(`${tag}-rebuild-1`),
      uri: `${REPO_URL}@${digestOf(`${tag}-rebuild-1`)}`,
    });
    expect(appSynths().map((c) => c.args[0])).toEqual([`APP_IMAGE_TAG=${tag}-rebuild-1`]);
    expect(fx.printed()).toContain(`--rebuild: ${tag} is replaced by a new build tagged ${tag}-rebuild-1.`);

    await runDeploy(fx.options({ yes: true }));
    expect(pushes()).toHaveLength(2);
    expect(appSynths().at(-1)!.args[0]).toBe(`APP_IMAGE_TAG=${tag}-rebuild-1`);

    await runDeploy(fx.options({ yes: true, rebuild: true }));
    expect(pushes().at(-1)).toBe(`${tag}-rebuild-2`);
  });

  it("in a MUTABLE repository pushes the same tag again, which then names the new image", async () => {
    stub.world.tagMutability = "MUTABLE";
    const tag = contentTag(fx.root);
    await runDeploy(fx.options({ yes: true }));
    const record = await runDeploy(fx.options({ yes: true, rebuild: true }));
    expect(pushes()).toEqual([tag, tag]);
    expect(record!.image.digest).toBe(digestOf(tag, 1));
    expect(fx.printed()).toContain(`--rebuild: ${tag} is replaced by a new build under the same tag (the repository is MUTABLE).`);
  });

  it("without --rebuild nothing is rebuilt when the tag exists (and the output says how to force it)", async () => {
    await runDeploy(fx.options({ yes: true }));
    stub.calls = []; // (the first deploy looked for the repository before creating it)
    await runDeploy(fx.options({ yes: true }));
    expect(pushes()).toHaveLength(1);
    expect(stub.operations()).not.toContain("ecr:DescribeRepositories");
  });
});

describe("the image a stage runs is protected from the lifecycle policy", () => {
  it("is tagged deployed-<tag> before the app stack is applied", async () => {
    const tag = contentTag(fx.root);
    await runDeploy(fx.options({ yes: true }));
    expect(stub.imageTagged(tag)!.tags).toEqual([tag, `deployed-${tag}`]);
    const steps = fx
      .printed()
      .split("\n")
      .filter((l) => l.startsWith("✔"));
    const at = (s: string) => steps.findIndex((l) => l.includes(s));
    expect(at(`protect ${tag} from the lifecycle policy`)).toBeLessThan(at("terraform apply app"));
    const put = JSON.parse(stub.calls.find((c) => c.operation === "PutImage")!.body);
    expect(put).toMatchObject({ repositoryName: "backend-api", imageTag: `deployed-${tag}`, imageDigest: digestOf(tag) });
  });

  it("a failed app deploy keeps the previous image protected; the next successful one releases it", async () => {
    const first = contentTag(fx.root);
    await runDeploy(fx.options({ yes: true }));
    write("backend/src/handler.ts", "export const handler = () => 202;\n");
    const second = contentTag(fx.root);
    fx.flag("app.plan-error", "something broke");
    await expect(runDeploy(fx.options({ yes: true }))).rejects.toBeInstanceOf(DeployFailed);
    expect(stub.imageTagged(first)!.tags).toContain(`deployed-${first}`);
    expect(stub.imageTagged(second)!.tags).toContain(`deployed-${second}`);

    execFileSync("rm", [join(fx.state, "app.plan-error")]);
    await runDeploy(fx.options({ yes: true }));
    expect(stub.imageTagged(first)!.tags).toEqual([first]); // the image stays, only its marker goes
    expect(stub.imageTagged(second)!.tags).toEqual([second, `deployed-${second}`]);
    expect(JSON.parse(stub.calls.filter((c) => c.operation === "BatchDeleteImage").at(-1)!.body).imageIds).toEqual([
      { imageTag: `deployed-${first}` },
    ]);
  });

  it("a failure to release earlier markers never fails a finished deploy; the next deploy releases them", async () => {
    const first = contentTag(fx.root);
    await runDeploy(fx.options({ yes: true }));
    write("backend/src/handler.ts", "export const handler = () => 203;\n");
    stub.world.failOnce = ["ecr:BatchDeleteImage"];
    const record = await runDeploy(fx.options({ yes: true }));
    expect(record!.image.tag).toBe(contentTag(fx.root));
    expect(fx.printed()).toMatch(
      /✔ let the lifecycle policy expire earlier deployed images \(.*\) could not release them \(.*\); the next deploy tries again/,
    );
    expect(stub.imageTagged(first)!.tags).toContain(`deployed-${first}`);
    await runDeploy(fx.options({ yes: true }));
    expect(stub.imageTagged(first)!.tags).toEqual([first]);
  });
});
