/**
 * A throwaway project for one deploy test: the image's inputs (backend sources, Dockerfile, lock
 * file, build script, tsconfig) and a README, a
 * fake synth that writes a minimal cdktf.out (stack ids from the config's stage, like the real
 * one), fake tools on PATH and an output sink. Nothing outside its temp directory is touched.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll } from "vitest";
import type { DeployOptions } from "../../../scripts/deploy/deploy.js";
import { imageTag } from "../../../scripts/deploy/image-tag.js";
import { ACCOUNT, AwsStub } from "./aws-stub.js";
import { type Call, FAIL_ONCE, readCalls, writeFakeTools } from "./fake-tools.js";

// Writes cdktf.out like main.ts does (stack ids from the config's stage), and logs the synth with
// the image tag it was given. A sh script: a node process per synth would double the suite's time.
const FAKE_SYNTH = `#!/bin/sh
stage=dev
if [ -n "$APP_CONFIG" ]; then
  s=$(tr -d '\\n ' < "$APP_CONFIG" | sed -n 's/.*"stage":"\\([^"]*\\)".*/\\1/p')
  [ -n "$s" ] && stage=$s
fi
suffix=""; [ "$stage" != dev ] && suffix="-$stage"
reg="registry$suffix"; app="app$suffix"
printf 'synth\\t%s\\tAPP_IMAGE_TAG=%s\\tstage=%s\\tAPP_STATE_BUCKET=%s\\n' "$PWD" "$APP_IMAGE_TAG" "$stage" "$APP_STATE_BUCKET" >> "$FAKE_STATE/calls.log"
TOOL=synth; set -- "APP_IMAGE_TAG=$APP_IMAGE_TAG"
${FAIL_ONCE}
# (a re-synth finds the folders there: no mkdir process then)
[ -d "cdktf.out/stacks/$reg" ] && [ -d "cdktf.out/stacks/$app" ] || mkdir -p "cdktf.out/stacks/$reg" "cdktf.out/stacks/$app"
printf '{"version":"0.21.0","stacks":{"%s":{"name":"%s","dependencies":[]},"%s":{"name":"%s","dependencies":["%s"]}}}' "$reg" "$reg" "$app" "$app" "$reg" > cdktf.out/manifest.json
printf '{"resource":{"aws_ecr_repository":{"ecr":{"name":"backend-api%s"}}}}' "$suffix" > "cdktf.out/stacks/$reg/cdk.tf.json"
# <state>/app.resources.json: what the app stack would create (e.g. a table), for the "exists without state" check.
if [ -f "$FAKE_STATE/app.resources.json" ]; then cp "$FAKE_STATE/app.resources.json" "cdktf.out/stacks/$app/cdk.tf.json"; else printf '{"resource":{}}' > "cdktf.out/stacks/$app/cdk.tf.json"; fi
# With github_repository, the project-wide github stack too (stacks/github-stack.ts).
if [ -n "$APP_CONFIG" ] && grep -q '"github_repository"' "$APP_CONFIG"; then
  mkdir -p cdktf.out/stacks/github
  sed 's/}}}$/},"github":{"name":"github","dependencies":[]}}}/' cdktf.out/manifest.json > cdktf.out/manifest.tmp && mv cdktf.out/manifest.tmp cdktf.out/manifest.json
  printf '{"resource":{"aws_iam_role":{}}}' > cdktf.out/stacks/github/cdk.tf.json
fi
`;

/** Extra options for a run: the command's own flags, answers to its questions, environment additions. */
export type FixtureOptions = Partial<DeployOptions> & { force?: boolean; region?: string; answers?: string; env?: Record<string, string> };

export interface Fixture {
  root: string;
  bin: string;
  state: string;
  output: PassThrough;
  /** Everything printed so far. */
  printed(): string;
  calls(): Call[];
  /** Options for runDeploy/runDiff/runDestroy pointing at this fixture. */
  options(extra?: FixtureOptions): DeployOptions & { force?: boolean; region?: string };
  /** Sets what `terraform output -json` returns for a stack once applied. */
  setOutputs(stackId: string, outputs: Record<string, unknown>): void;
  /** Writes a config file outside the repository (so the tree stays clean) and returns its path, for APP_CONFIG. */
  writeConfig(config: Record<string, unknown>): string;
  /** Creates a file in the fake tools' state dir (e.g. "push-fails", "app.plan"). */
  flag(name: string, content?: string): void;
  cleanup(): void;
}

export function createFixture(tools?: Parameters<typeof writeFakeTools>[1]): Fixture {
  const base = mkdtempSync(join(tmpdir(), "deploy-test-"));
  const [root, bin, state] = ["project", "bin", "state"].map((d) => join(base, d)) as [string, string, string];
  for (const d of [root, bin, state, join(root, "backend", "src"), join(root, "scripts")]) mkdirSync(d, { recursive: true });
  const files: Record<string, string> = {
    "backend/Dockerfile": "FROM public.ecr.aws/lambda/nodejs:22\nCOPY dist/index.mjs ${LAMBDA_TASK_ROOT}/\n",
    "backend/src/handler.ts": "export const handler = () => 200;\n",
    "package-lock.json": '{"lockfileVersion":3}\n',
    "scripts/build-backend.ts": "// bundles backend/src\n",
    "tsconfig.json": "{}\n",
    "README.md": "# project\n",
    ".gitignore": "cdktf.out/\n.deploy/\n.state/\ndist/\n",
  };
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  writeFileSync(join(base, "synth"), FAKE_SYNTH, { mode: 0o755 });
  writeFakeTools(bin, tools);

  const output = new PassThrough();
  let printed = "";
  output.on("data", (c: Buffer) => (printed += c.toString("utf8")));

  return {
    root,
    bin,
    state,
    output,
    printed: () => printed,
    calls: () => readCalls(state),
    options: ({ answers, env, ...extra } = {}) => ({
      // The fake outputs name hosts nobody serves: tests of the smoke check pass skipSmoke: false with URLs of a local server.
      skipSmoke: true,
      root,
      commands: { synth: [join(base, "synth")] },
      env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, FAKE_STATE: state, APP_CONFIG: "", GITHUB_STEP_SUMMARY: "", ...env },
      out: output,
      input: Readable.from(answers === undefined ? [] : [answers]),
      ...extra,
    }),
    setOutputs: (stackId, outputs) =>
      writeFileSync(
        join(state, `${stackId}.outputs.json`),
        JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { sensitive: false, type: "string", value }]))),
      ),
    writeConfig: (config) => {
      const file = join(base, "app.config.json");
      writeFileSync(file, JSON.stringify(config));
      return file;
    },
    flag: (name, content = "") => writeFileSync(join(state, name), content),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** The image tag the fixture's sources give (what the deploy pushes). */
export const contentTag = (root: string, architecture: "arm64" | "x86_64" = "arm64") => imageTag(root, architecture);

/**
 * One AWS stub for the whole test file, the SDK pointed at it through the standard
 * AWS_ENDPOINT_URL_* variables (nothing in the code under test knows it is fake).
 */
export function useAwsStub(): AwsStub {
  const stub = new AwsStub();
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    const env = AwsStub.env(await stub.start());
    for (const key of Object.keys(env)) saved[key] = process.env[key];
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    await stub.stop();
    // the next test file in this worker may share the process (isolate: false, vitest.config.ts)
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  return stub;
}

/** The outputs of a deployed stage's stacks, as the fake terraform reports them (app outputs overridable). */
export function setDeployedOutputs(
  fx: Fixture,
  app: Record<string, unknown> = { web_url: "https://d1.cloudfront.net", api_url: "https://a.example" },
) {
  fx.setOutputs("registry", { repository_url: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/backend-api`, repository_name: "backend-api" });
  fx.setOutputs("app", app);
}

/** A fresh fixture with the stub's recorded world reset to it. */
export function freshFixture(stub: AwsStub, tools?: Parameters<typeof writeFakeTools>[1]): Fixture {
  const fx = createFixture(tools);
  stub.reset(fx.state);
  return fx;
}
