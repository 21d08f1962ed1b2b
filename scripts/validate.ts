/**
 * `npm run validate`: for every config variant, synthesize the app, then per stack run
 * `terraform init -backend=false`, `terraform validate` (no errors, no warnings) and a mocked
 * `terraform test` plan + apply. Exits non-zero on any failure, or with one line saying why
 * validation cannot run here (no terraform, no provider source).
 *
 *   npm run validate                         all variants
 *   npm run validate -- --variant domain     one (repeatable)
 *   npm run validate -- --dir cdktf.out      an output already synthesized (e.g. by `cdktf synth`)
 *
 * Environment: TF_PROVIDER_MIRROR=<dir> uses a filesystem mirror (the directory holding
 * registry.terraform.io/...); otherwise TF_CLI_CONFIG_FILE / the registry. TERRAFORM_BINARY_NAME
 * runs e.g. tofu instead of terraform.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type CommandLine, runCli, UsageError } from "./lib/cli.js";
import { readSynthOutput, type SynthesizedStack } from "./lib/synth-output.js";
import { checkTerraformVersion, MIN_VERSION_S3_LOCKFILE, TerraformUnavailable } from "./lib/terraform.js";
import { checkStack, type StackCheck, TEST_FILE } from "./validate/check-stack.js";
import { installProviders, providerSource, SetupError } from "./validate/providers.js";
import { isVariantName, VARIANT_NAMES, type VariantName } from "./validate/variants.js";
import { writeWebFixture } from "./validate/web-fixture.js";

interface Target {
  variant: string;
  stacks: SynthesizedStack[];
  synthSeconds: number;
  error?: string;
}

const fmt = (s: number | undefined) => (s === undefined ? "-" : `${s.toFixed(1)}s`);

/** Runs `task` over `items` with at most `limit` in flight, in order of start. */
async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The state bucket the variants are synthesized with; never contacted (init -backend=false). */
const VALIDATE_STATE_BUCKET = "validate-placeholder-tfstate";

async function synthesizeVariants(names: VariantName[], outdir: string): Promise<Target[]> {
  // imported here so `--dir` works without loading the app (and before the stacks exist)
  const { synthesizeStacks } = await import("./lib/synth.js");
  const { variantConfig } = await import("./validate/variants.js");
  const webDistDir = writeWebFixture(join(outdir, "web-build"));
  return names.map((variant) => {
    const started = performance.now();
    try {
      const config = variantConfig(variant);
      // As the deploy does (APP_STATE_BUCKET): without a bucket, `terraform validate` rejects the app stack's
      // remote-state read of the registry ("bucket" is required). The name is a placeholder: -backend=false.
      const withBucket =
        config.state_backend === "s3" && !config.state_bucket ? { ...config, state_bucket: VALIDATE_STATE_BUCKET } : config;
      const stacks = synthesizeStacks(withBucket, resolve(outdir, variant), { fresh: true, webDistDir });
      return { variant, stacks, synthSeconds: (performance.now() - started) / 1000 };
    } catch (e) {
      return { variant, stacks: [], synthSeconds: (performance.now() - started) / 1000, error: (e as Error).message };
    }
  });
}

function readDir(dir: string): SynthesizedStack[] {
  try {
    return readSynthOutput(dir);
  } catch (e) {
    throw new SetupError((e as Error).message);
  }
}

function printCheck(c: StackCheck): void {
  const t = c.timings;
  const total = (t.init ?? 0) + (t.validate ?? 0) + (t.test ?? 0);
  const name = `${c.variant}/${c.stack}`.padEnd(26);
  console.log(`${c.ok ? "PASS" : "FAIL"}  ${name} init ${fmt(t.init)}  validate ${fmt(t.validate)}  test ${fmt(t.test)}  = ${fmt(total)}`);
  for (const n of c.notes) console.log(`        ${n}`);
  for (const p of c.problems) console.log(`      ✗ ${p}`);
}

const OPTIONS = {
  variant: { type: "string", multiple: true },
  dir: { type: "string" },
  outdir: { type: "string" },
  jobs: { type: "string", default: String(Math.max(1, Math.min(2, availableParallelism()))) },
} as const;

const USAGE = `Usage: npm run validate -- [--variant <name>... | --dir <synthesized outdir>] [--outdir <dir>] [--jobs <n>]

  --variant <name>  validate this config variant (repeatable; default: all)
                    variants: ${VARIANT_NAMES.join(", ")}
  --dir <dir>       validate an output already synthesized (e.g. by \`cdktf synth\`) instead
  --outdir <dir>    synthesize into <dir> and keep it (default: a temp dir, removed when all pass)
  --jobs <n>        stacks checked in parallel (default: up to 2)
Environment: TF_PROVIDER_MIRROR=<dir> (a filesystem mirror), TERRAFORM_BINARY_NAME (e.g. tofu).
Exit codes: 0 all passed, 1 a check failed or validation cannot run here, 2 bad flags.`;

async function main({ values }: CommandLine<typeof OPTIONS>): Promise<number> {
  const started = performance.now();
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, got ${values.jobs}`);
  const unknown = (values.variant ?? []).filter((v) => !isVariantName(v));
  if (unknown.length) throw new UsageError(`unknown variant(s) ${unknown.join(", ")} (known: ${VARIANT_NAMES.join(", ")})`);
  // not under cdktf.out: `cdktf synth` and other tools clear that folder while this runs
  const outdir = values.outdir ? resolve(values.outdir) : mkdtempSync(join(tmpdir(), "validate-"));

  const env = process.env;
  // checked first: no point synthesizing without a terraform that can run the checks
  const version = await checkTerraformVersion(
    env,
    MIN_VERSION_S3_LOCKFILE,
    "mock providers in terraform test, the S3 backend's use_lockfile",
  );
  const source = providerSource(env, resolve(outdir, ".terraform-cli"));
  console.log(`terraform ${version}; providers from ${source.description}`);

  const targets: Target[] = values.dir
    ? [{ variant: values.dir, stacks: readDir(resolve(values.dir)), synthSeconds: 0 }]
    : await synthesizeVariants((values.variant as VariantName[] | undefined) ?? VARIANT_NAMES, outdir);
  for (const t of targets) {
    if (t.error) console.log(`FAIL  ${t.variant.padEnd(26)} synth: ${t.error.split("\n").join("\n        ")}`);
  }
  const synthed = targets.filter((t) => !t.error);
  const synthTotal = targets.reduce((a, t) => a + t.synthSeconds, 0);
  console.log(`synthesized ${synthed.length}/${targets.length} variant(s) into ${values.dir ?? outdir} in ${fmt(synthTotal)}`);

  const providers = await installProviders(
    synthed.flatMap((t) => t.stacks),
    resolve(outdir, ".terraform-cli"),
    source,
  );
  console.log(`installed ${providers.installed.join(", ")} and read its schema in ${fmt(providers.seconds)}`);

  const work = synthed.flatMap((t) => t.stacks.map((stack) => ({ t, stack })));
  const checks = await pool(work, jobs, async ({ t, stack }) => {
    const c = await checkStack(t.variant, stack, t.stacks, providers, source);
    printCheck(c);
    return c;
  });

  const failedSynth = targets.filter((t) => t.error);
  const failed = checks.filter((c) => !c.ok);
  console.log("\nper variant (synth + terraform, summed over its stacks):");
  for (const t of targets) {
    const mine = checks.filter((c) => c.variant === t.variant);
    const tf = mine.reduce((a, c) => a + (c.timings.init ?? 0) + (c.timings.validate ?? 0) + (c.timings.test ?? 0), 0);
    const status = t.error ? "synth failed" : `${mine.filter((c) => c.ok).length}/${mine.length} stacks ok`;
    console.log(`  ${t.variant.padEnd(14)} ${status.padEnd(16)} synth ${fmt(t.synthSeconds)}  terraform ${fmt(tf)}`);
  }
  const wall = (performance.now() - started) / 1000;
  const ok = failed.length === 0 && failedSynth.length === 0 && checks.length > 0;
  console.log(
    `\nvalidate: ${ok ? "OK" : "FAILED"}: ${checks.length - failed.length}/${checks.length} stacks passed` +
      `${failedSynth.length ? `, ${failedSynth.length} variant(s) failed to synthesize` : ""}` +
      ` (${targets.length} variant(s), ${jobs} in parallel) in ${fmt(wall)} wall time` +
      `; generated test file: <stack dir>/${TEST_FILE}`,
  );
  if (ok && !values.outdir) rmSync(outdir, { recursive: true, force: true });
  else console.log(`synthesized stacks, test files and terraform output kept in ${values.dir ?? outdir}`);
  return ok ? 0 : 1;
}

/** Cannot run here (no terraform, no provider source): one line, exit 1. */
class CannotRun extends Error {}

await runCli({ name: "npm run validate", usage: USAGE, options: OPTIONS, expected: [CannotRun] }, (line) =>
  main(line).catch((e: unknown) => {
    if (e instanceof SetupError || e instanceof TerraformUnavailable) {
      throw new CannotRun(`cannot run: ${e.message}${e instanceof TerraformUnavailable ? `; ${e.hint}` : ""}`);
    }
    throw e;
  }),
);
