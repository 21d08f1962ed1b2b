import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PRICE_TABLE_DATE } from "../../scripts/cost/prices.js";
import { readSynthesizedStacks, StackReadError } from "../../scripts/cost/stacks.js";
import { staleReason } from "../../scripts/cost/synth.js";
import { CONFIG_STAMP, configHash } from "../../scripts/lib/synth.js";
import { type AppConfig, loadConfig } from "../../stacks/config.js";
import { runCommandInProcess } from "../support/command-in-process.js";
import { priceConfig, synthConfig, tempDir, WORKED_BILL_CONFIG } from "./support.js";

/** scripts/cost.ts (what `npm run cost` starts), run in this process: see support/command-in-process.ts. */
const costWith = (env: Record<string, string>, ...args: string[]) => runCommandInProcess("scripts/cost.ts", args, env);
const cost = (...args: string[]) => costWith({}, ...args);

describe("npm run cost (the command)", () => {
  it("--json prints the estimate for machines: the same totals as the library, nothing else on stdout", async () => {
    const outdir = synthConfig(WORKED_BILL_CONFIG);
    const run = await cost("--outdir", outdir, "--requests", "10M", "--json");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    const expected = priceConfig(WORKED_BILL_CONFIG, { requests: 10e6 });
    expect(json.totalUsd).toBeCloseTo(expected.totalUsd, 9);
    expect(json.classic.totalUsd).toBeCloseTo(expected.classic.totalUsd, 9);
    expect(json.priceTableDate).toBe(PRICE_TABLE_DATE);
    expect(json.stacks.sort()).toEqual(["app", "registry"]);
  });

  it("prints one row per line item, the dated price table, the total beside the classic alternative, and the free list", async () => {
    const run = await cost("--outdir", synthConfig(WORKED_BILL_CONFIG), "--requests", "1M");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`table dated ${PRICE_TABLE_DATE}`);
    expect(run.stdout).toMatch(/^Lambda: requests\s+1,000,000 requests\s+\$0\.20 \/ 1M requests\s+1,000,000 of 1M\s+\$0\.00$/m);
    expect(run.stdout).toMatch(/^Route 53: hosted zone example\.com\s+1 zone-month\s+\$0\.50 \/ zone-month\s+-\s+\$0\.50$/m);
    expect(run.stdout).toMatch(/^Total \$3\.2\d \/ month\s+Classic alternative \$89\.\d\d \/ month \(2\dx this stack\)$/m);
    expect(run.stdout).toMatch(/^Free \(\d+\): .*aws_iam_role/m);
  });

  // Each refused flag is covered in flags.test.ts; this checks the exit path once.
  it("refuses a bad flag with a clear message, exit 2 and no estimate", async () => {
    const run = await cost("--requests", "-5");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^npm run cost: --requests: "-5" is not a non-negative number/);
    expect(run.stderr).toContain("Usage: npm run cost");
    expect(run.stdout).toBe("");
  });

  it("reading an outdir without synthesized stacks fails with the file it could not read", () => {
    const empty = tempDir("empty-");
    expect(() => readSynthesizedStacks(empty)).toThrow(StackReadError);
    expect(() => readSynthesizedStacks(empty)).toThrow(/cannot read manifest .*manifest\.json: ENOENT/);
  });
});

/** A project skeleton with the inputs staleness looks at, synthesized a minute ago from `recorded`. */
function fakeProject(recorded: AppConfig | null = DEFAULT_CONFIG) {
  const dir = tempDir("project-");
  for (const d of ["stacks", "modules", "cdktf.out"]) mkdirSync(join(dir, d));
  for (const f of ["main.ts", "stacks/app.ts", "modules/vpc.ts"]) writeFileSync(join(dir, f), "{}");
  writeFileSync(join(dir, "cdktf.out", "manifest.json"), JSON.stringify({ stacks: { registry: {}, app: {} } }));
  if (recorded) writeFileSync(join(dir, "cdktf.out", CONFIG_STAMP), configHash(recorded));
  // Inputs two minutes old, the synth one minute old: a touch now is clearly later than the synth
  // (a manifest written now could carry a later sub-millisecond mtime than a touch's Date).
  const old = new Date(Date.now() - 120_000);
  for (const f of ["main.ts", "stacks/app.ts", "modules/vpc.ts"]) utimesSync(join(dir, f), old, old);
  const synthesized = new Date(Date.now() - 60_000);
  for (const f of ["manifest.json", CONFIG_STAMP])
    if (existsSync(join(dir, "cdktf.out", f))) utimesSync(join(dir, "cdktf.out", f), synthesized, synthesized);
  return { dir, outdir: join(dir, "cdktf.out"), touch: (f: string) => utimesSync(join(dir, f), new Date(), new Date()) };
}

const DEFAULT_CONFIG = loadConfig({});

describe("staleness: synthesize again when the code or config changed since the last synth", () => {
  it("is current when the manifest is newer than every input and records the same config", () => {
    const p = fakeProject();
    expect(staleReason(p.dir, p.outdir, loadConfig({}))).toBeUndefined();
  });

  it("is stale when the manifest is missing", () => {
    const p = fakeProject();
    expect(staleReason(p.dir, join(p.dir, "elsewhere"), DEFAULT_CONFIG)).toMatch(/elsewhere\/manifest\.json is missing/);
  });

  it.each(["main.ts", "stacks/app.ts", "modules/vpc.ts"])("is stale when %s changed", (file) => {
    const p = fakeProject();
    p.touch(file);
    expect(staleReason(p.dir, p.outdir, DEFAULT_CONFIG)).toBe(`${file} changed since the last synth`);
  });

  it("is stale when the output was made from another config, or records none", () => {
    const p = fakeProject();
    const other = { ...DEFAULT_CONFIG, lambda_memory: 1024 };
    expect(staleReason(p.dir, p.outdir, other)).toBe("the config differs from the one cdktf.out was synthesized from");
    const q = fakeProject(null);
    expect(staleReason(q.dir, q.outdir, DEFAULT_CONFIG)).toBe("cdktf.out does not record the config it was synthesized from");
  });

  // The bug this guards: the APP_CONFIG file was older than the last synth, so cdktf.out (made from
  // the previous config) was priced as if it were the new one.
  it("npm run cost re-synthesizes when APP_CONFIG names another config, even one older than cdktf.out", async () => {
    const dir = tempDir("resynth-");
    const old = new Date(Date.now() - 3_600_000);
    const configs = { small: { lambda_memory: 128 }, large: { lambda_memory: 4096 } };
    for (const [name, config] of Object.entries(configs)) {
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(config));
      utimesSync(join(dir, `${name}.json`), old, old);
    }
    const env = (name: string) => ({ CDKTF_OUTDIR: join(dir, "cdktf.out"), APP_CONFIG: join(dir, `${name}.json`) });
    const small = await costWith(env("small"), "--json");
    expect(small.code, small.stderr).toBe(0);
    const again = await costWith(env("small"), "--json");
    expect(again.stderr).not.toMatch(/Synthesizing/); // unchanged config: priced as it is
    const large = await costWith(env("large"), "--json");
    expect(large.code, large.stderr).toBe(0);
    expect(large.stderr).toMatch(/Synthesizing the stacks first \(the config differs from the one .*cdktf\.out was synthesized from\)/);
    const lambdaDuration = (stdout: string) =>
      (JSON.parse(stdout) as { lines: { service: string; item: string }[] }).lines.find(
        (l) => l.service === "Lambda" && /duration/.test(l.item),
      )?.item;
    expect(lambdaDuration(small.stdout)).toMatch(/128 MB/);
    expect(lambdaDuration(large.stdout)).toMatch(/4096 MB/);
  });
});
