/** npm run destroy [-- --stage <name>] [--yes] [--force]: see scripts/deploy/destroy.ts and docs/deploy.md. */
import { main, parseFlags } from "./deploy/cli.js";
import { runDestroy } from "./deploy/destroy.js";

const usage = `Usage: npm run destroy -- [--stage <name>] [--yes] [--force]

  --stage <name>  destroy this stage (overrides the config's "stage")
  --yes           do not ask for confirmation
  --force         also when the table is deletion-protected or holds data (the data is lost)
  --verbose       stream terraform's output as it runs`;

const flags = parseFlags(
  process.argv.slice(2),
  { stage: { type: "string" }, yes: { type: "boolean", short: "y" }, force: { type: "boolean" }, verbose: { type: "boolean" } },
  usage,
);
await main(() => runDestroy({ stage: flags.stage, yes: flags.yes, force: flags.force, verbose: flags.verbose }));
