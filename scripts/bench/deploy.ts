/**
 * Deploy figures: how long `npm run deploy -- --dry-run` takes (it runs the real synth of every
 * stack and prints the plan of steps), and how many steps a first deploy has.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ROOT } from "../deploy/project.js";
import { runCommand } from "../lib/process.js";
import type { BenchSection } from "./types.js";

const RUNS = 3;

export default (async () => {
  const outDir = mkdtempSync(join(tmpdir(), "bench-deploy-"));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "APP_CONFIG"));
  const times: number[] = [];
  let steps = 0;
  try {
    for (let i = 0; i < RUNS; i++) {
      const run = await runCommand(
        { argv: [process.execPath, "--import", "tsx", "scripts/deploy.ts", "--dry-run"] },
        { cwd: DEFAULT_ROOT, env: { ...env, CDKTF_OUTDIR: outDir } },
      );
      times.push(run.seconds * 1000);
      if (run.code !== 0) throw new Error(`deploy --dry-run exited ${run.code}: ${run.output}`);
      steps = run.stdout.split("\n").filter((l) => /^\s*\d+\. /.test(l)).length;
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  return {
    title: "Deploy",
    rows: [
      {
        figure: `deploy --dry-run incl. real synth of both stacks: wall time (median of ${RUNS})`,
        value: `${(median / 1000).toFixed(2)} s`,
      },
      { figure: "steps of a first deploy (prerequisites to outputs)", value: String(steps) },
    ],
  };
}) satisfies BenchSection;
