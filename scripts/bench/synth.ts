/**
 * Synth figures: wall time and peak memory of synthesizing every stack with the command
 * cdktf.json runs (`node --import tsx main.ts`), next to the cost of merely importing the
 * provider package's root through the same runner, measured interleaved in the same run.
 * Peak RSS is the largest `maxRSS` of any node process in the run, reported by a preloaded hook,
 * so no external `time` binary is needed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "../lib/process.js";
import type { BenchSection } from "./types.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RUNS = 5;
const SYNTH_BUDGET_S = 2;
const SYNTH_BUDGET_MB = 300;

interface Run {
  seconds: number;
  peakMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `node --import tsx <args>` from the project root; every node process appends its maxRSS (KiB) to a file. */
async function measure(args: string[], env: NodeJS.ProcessEnv, work: string): Promise<Run> {
  const rssFile = join(work, `rss-${process.hrtime.bigint()}.txt`);
  const hook = join(work, "rss-hook.cjs");
  const run = await runCommand(
    { argv: [process.execPath, "--import", "tsx", ...args] },
    { cwd: ROOT, env: { ...env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --require ${hook}`.trim() } },
  );
  if (run.code !== 0) throw new Error(`tsx ${args.join(" ")} exited ${run.code}: ${run.stderr.slice(0, 2000)}`);
  const peakKiB = Math.max(...readFileSync(rssFile, "utf8").trim().split("\n").map(Number));
  return { seconds: run.seconds, peakMb: peakKiB / 1024 };
}

export default (async () => {
  const work = mkdtempSync(join(tmpdir(), "bench-synth-"));
  writeFileSync(
    join(work, "rss-hook.cjs"),
    'process.on("exit", () => require("node:fs").appendFileSync(process.env.BENCH_RSS_FILE, process.resourceUsage().maxRSS + "\\n"));\n',
  );
  const outdir = join(work, "cdktf.out");
  // the synth sees no user config: zero config, as `cdktf synth` on a fresh clone
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "APP_CONFIG" && k !== "APP_IMAGE_TAG"));
  const synthArgs = ["main.ts"];
  const importArgs = ["-e", 'import("@cdktf/provider-aws").then(() => undefined)'];
  const synth: Run[] = [];
  const rootImport: Run[] = [];
  try {
    await measure(synthArgs, { ...env, CDKTF_OUTDIR: outdir }, work); // warm the file cache
    for (let i = 0; i < RUNS; i++) {
      // interleaved, so machine noise hits both series alike
      synth.push(await measure(synthArgs, { ...env, CDKTF_OUTDIR: outdir }, work));
      rootImport.push(await measure(importArgs, env, work));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const synthS = median(synth.map((r) => r.seconds));
  const synthMb = median(synth.map((r) => r.peakMb));
  const importS = median(rootImport.map((r) => r.seconds));
  const importMb = median(rootImport.map((r) => r.peakMb));
  return {
    title: "Synth (node --import tsx main.ts, all stacks)",
    rows: [
      {
        figure: `synth all stacks, wall time (median of ${RUNS})`,
        value: `${synthS.toFixed(2)} s`,
        budget: `< ${SYNTH_BUDGET_S} s`,
        ok: synthS < SYNTH_BUDGET_S,
      },
      {
        figure: `synth all stacks, peak RSS (median of ${RUNS})`,
        value: `${synthMb.toFixed(0)} MB`,
        budget: `< ${SYNTH_BUDGET_MB} MB`,
        ok: synthMb < SYNTH_BUDGET_MB,
      },
      { figure: `import of the @cdktf/provider-aws root via tsx, wall time (median of ${RUNS})`, value: `${importS.toFixed(2)} s` },
      { figure: `import of the @cdktf/provider-aws root via tsx, peak RSS (median of ${RUNS})`, value: `${importMb.toFixed(0)} MB` },
      {
        figure: "synth time / root-import time",
        value: `${(synthS / importS).toFixed(2)}`,
        budget: "<= 0.5",
        ok: synthS <= importS / 2,
      },
      { figure: "machine load while measuring (1-min load average / cores)", value: `${loadavg()[0]!.toFixed(2)} / ${cpus().length}` },
    ],
  };
}) satisfies BenchSection;
