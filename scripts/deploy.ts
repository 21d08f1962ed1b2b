/** npm run deploy [-- --stage <name>] [--dry-run] [--yes]: see scripts/deploy/deploy.ts and docs/deploy.md. */
import { main, parseFlags } from "./deploy/cli.js";
import { runDeploy } from "./deploy/deploy.js";

const usage = `Usage: npm run deploy -- [--stage <name>] [--dry-run] [--yes] [--skip-smoke]

  --stage <name>  deploy this stage (overrides the config's "stage"; stack ids carry it)
  --dry-run       print every step with its exact command, in order; run nothing but the synth
  --yes           apply plans without asking
  --verbose       stream terraform's and docker's output as they run
  --skip-smoke    do not run the post-deploy smoke check (GET /health, /users?limit=1, /config.json)`;

const flags = parseFlags(process.argv.slice(2), { stage: { type: "string" }, "dry-run": { type: "boolean" }, yes: { type: "boolean", short: "y" }, verbose: { type: "boolean" }, "skip-smoke": { type: "boolean" } }, usage);
await main(() => runDeploy({ stage: flags.stage, dryRun: flags["dry-run"], yes: flags.yes, verbose: flags.verbose, skipSmoke: flags["skip-smoke"] }));
