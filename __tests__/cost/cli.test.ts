import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PRICE_TABLE_DATE } from "../../scripts/cost/prices.js";
import { readSynthesizedStacks, StackReadError } from "../../scripts/cost/stacks.js";
import { staleReason, synthesize, SynthError } from "../../scripts/cost/synth.js";
import { priceConfig, synthConfig, tempDir, WORKED_BILL_CONFIG } from "./support.js";

const PROJECT = fileURLToPath(new URL("../..", import.meta.url));

function cost(...args: string[]) {
  const run = spawnSync(join(PROJECT, "node_modules/.bin/tsx"), ["scripts/cost.ts", ...args], { cwd: PROJECT, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run cost (the command)", () => {
  it("--json prints the estimate for machines: the same totals as the library, nothing else on stdout", () => {
    const outdir = synthConfig(WORKED_BILL_CONFIG);
    const run = cost("--outdir", outdir, "--requests", "10M", "--json");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    const expected = priceConfig(WORKED_BILL_CONFIG, { requests: 10e6 });
    expect(json.totalUsd).toBeCloseTo(expected.totalUsd, 9);
    expect(json.classic.totalUsd).toBeCloseTo(expected.classic.totalUsd, 9);
    expect(json.priceTableDate).toBe(PRICE_TABLE_DATE);
    expect(json.stacks.sort()).toEqual(["app", "registry"]);
  });

  it("prints one row per line item, the dated price table, the total beside the classic alternative, and the free list", () => {
    const run = cost("--outdir", synthConfig(WORKED_BILL_CONFIG), "--requests", "1M");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`table dated ${PRICE_TABLE_DATE}`);
    expect(run.stdout).toMatch(/^Lambda: requests\s+1,000,000 requests\s+\$0\.20 \/ 1M requests\s+1,000,000 of 1M\s+\$0\.00$/m);
    expect(run.stdout).toMatch(/^Route 53: hosted zone example\.com\s+1 zone-month\s+\$0\.50 \/ zone-month\s+-\s+\$0\.50$/m);
    expect(run.stdout).toMatch(/^Total \$3\.2\d \/ month\s+Classic alternative \$89\.\d\d \/ month \(2\dx this stack\)$/m);
    expect(run.stdout).toMatch(/^Free \(\d+\): .*aws_iam_role/m);
  });

  // Each refused flag is covered in flags.test.ts; this checks the exit path once.
  it("refuses a bad flag with a clear message, exit 2 and no estimate", () => {
    const run = cost("--requests", "-5");
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

/** A project skeleton with the inputs staleness looks at, and an outdir synthesized `age` seconds ago. */
function fakeProject(stacksInManifest = ["registry", "app"]) {
  const dir = tempDir("project-");
  for (const d of ["stacks", "modules", "cdktf.out"]) mkdirSync(join(dir, d));
  for (const f of ["main.ts", "stacks/app.ts", "modules/vpc.ts", "config.json"]) writeFileSync(join(dir, f), "{}");
  const manifest = join(dir, "cdktf.out", "manifest.json");
  writeFileSync(manifest, JSON.stringify({ stacks: Object.fromEntries(stacksInManifest.map((id) => [id, {}])) }));
  const old = new Date(Date.now() - 60_000);
  for (const f of ["main.ts", "stacks/app.ts", "modules/vpc.ts", "config.json"]) utimesSync(join(dir, f), old, old);
  return { dir, outdir: join(dir, "cdktf.out"), touch: (f: string) => utimesSync(join(dir, f), new Date(), new Date()) };
}

describe("staleness: synthesize again when the code or config changed since the last synth", () => {
  it("is current when the manifest is newer than every input", () => {
    const p = fakeProject();
    expect(staleReason(p.dir, p.outdir, {})).toBeUndefined();
  });

  it("is stale when the manifest is missing", () => {
    const p = fakeProject();
    expect(staleReason(p.dir, join(p.dir, "elsewhere"), {})).toMatch(/elsewhere\/manifest\.json is missing/);
  });

  it.each(["main.ts", "stacks/app.ts", "modules/vpc.ts"])("is stale when %s changed", (file) => {
    const p = fakeProject();
    p.touch(file);
    expect(staleReason(p.dir, p.outdir, {})).toBe(`${file} changed since the last synth`);
  });

  it("is stale when the APP_CONFIG file changed, or names a stage whose stacks are not there", () => {
    const p = fakeProject();
    p.touch("config.json");
    expect(staleReason(p.dir, p.outdir, { APP_CONFIG: join(p.dir, "config.json") })).toBe("config.json changed since the last synth");

    const q = fakeProject();
    writeFileSync(join(q.dir, "prod.json"), JSON.stringify({ stage: "prod" }));
    utimesSync(join(q.dir, "prod.json"), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    expect(staleReason(q.dir, q.outdir, { APP_CONFIG: join(q.dir, "prod.json") })).toMatch(/needs stack\(s\) registry-prod, app-prod/);
  });

  it("synthesizes with cdktf.json's app command, writing into CDKTF_OUTDIR", () => {
    const p = fakeProject();
    const writer = `require("fs").writeFileSync(process.env.CDKTF_OUTDIR + "/manifest.json", JSON.stringify({ stacks: { from: {} } }))`;
    writeFileSync(join(p.dir, "cdktf.json"), JSON.stringify({ app: `node -e '${writer}'` }));
    const outdir = join(p.dir, "out");
    mkdirSync(outdir);
    synthesize(p.dir, outdir, process.env);
    expect(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"))).toEqual({ stacks: { from: {} } });
  });

  it("reports a failing synth as an error", () => {
    const p = fakeProject();
    writeFileSync(join(p.dir, "cdktf.json"), JSON.stringify({ app: `node -e 'process.exit(3)'` }));
    expect(() => synthesize(p.dir, p.outdir, process.env)).toThrow(SynthError);
    expect(() => synthesize(p.dir, p.outdir, process.env)).toThrow(/synth failed \(exit 3\)/);
  });
});
