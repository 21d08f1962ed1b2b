/**
 * `npm run cost`: the monthly AWS bill of what the stacks declare, for a traffic profile, beside
 * the classic ALB + container + RDS + NAT alternative. Thin over scripts/cost/*.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../stacks/config.js";
import { estimateCost, estimateWorstCase } from "./cost/estimate.js";
import { formatEstimate } from "./cost/format.js";
import { readSynthesizedStacks, StackReadError } from "./cost/stacks.js";
import { staleReason, synthesize, SynthError } from "./cost/synth.js";
import { parseCostArgs, UsageError, USAGE } from "./cost/traffic.js";
import { NoThrottleError } from "./cost/worst-case.js";

const PROJECT_DIR = fileURLToPath(new URL("..", import.meta.url));

function main(argv: string[]): number {
  let options;
  try {
    options = parseCostArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`npm run cost: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    let outdir: string;
    if (options.outdir) {
      outdir = resolve(options.outdir); // named by the user: priced as it is
    } else {
      outdir = resolve(PROJECT_DIR, "cdktf.out");
      const reason = staleReason(PROJECT_DIR, outdir, process.env);
      if (reason) {
        process.stderr.write(`Synthesizing the stacks first (${reason})...\n`);
        synthesize(PROJECT_DIR, outdir, process.env);
      }
    }
    const stacks = readSynthesizedStacks(outdir);
    const estimate = options.worstCase ? estimateWorstCase(stacks, options.traffic) : estimateCost(stacks, options.traffic);
    process.stdout.write(options.json ? JSON.stringify(estimate, null, 2) + "\n" : formatEstimate(estimate));
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SynthError || e instanceof StackReadError || e instanceof NoThrottleError) {
      process.stderr.write(`npm run cost: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
