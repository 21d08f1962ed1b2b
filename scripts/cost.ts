/**
 * `npm run cost`: the monthly AWS bill of what the stacks declare, for a traffic profile, beside
 * the classic ALB + container + RDS + NAT alternative. Thin over scripts/cost/*.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "../stacks/config.js";
import { estimateCost, estimateWorstCase } from "./cost/estimate.js";
import { formatEstimate } from "./cost/format.js";
import { readSynthesizedStacks, StackReadError } from "./cost/stacks.js";
import { staleReason, synthesize } from "./cost/synth.js";
import { COST_FLAGS, costOptions, USAGE } from "./cost/traffic.js";
import { NoThrottleError } from "./cost/worst-case.js";
import { loadStageConfig } from "./deploy/stage-config.js";
import { runCli } from "./lib/cli.js";

const PROJECT_DIR = fileURLToPath(new URL("..", import.meta.url));

await runCli(
  { name: "npm run cost", usage: USAGE, options: COST_FLAGS, expected: [ConfigError, StackReadError, NoThrottleError] },
  ({ values }) => {
    const options = costOptions(values);
    let outdir: string;
    if (options.outdir) {
      outdir = resolve(options.outdir); // named by the user: priced as it is
    } else {
      outdir = resolve(PROJECT_DIR, process.env.CDKTF_OUTDIR || "cdktf.out"); // where the synth writes
      // --stage: the config file with that stage, as deploy/diff/destroy apply it.
      const stage = options.stage === undefined ? undefined : loadStageConfig(process.env, options.stage);
      stage?.cleanup();
      const config = stage?.config ?? loadConfig(process.env);
      const reason = staleReason(PROJECT_DIR, outdir, config);
      if (reason) {
        process.stderr.write(`Synthesizing the stacks first (${reason})...\n`);
        synthesize(config, outdir);
      }
    }
    const stacks = readSynthesizedStacks(outdir);
    const estimate = options.worstCase ? estimateWorstCase(stacks, options.traffic) : estimateCost(stacks, options.traffic);
    process.stdout.write(options.json ? `${JSON.stringify(estimate, null, 2)}\n` : formatEstimate(estimate));
  },
);
