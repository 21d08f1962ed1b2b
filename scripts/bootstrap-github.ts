/** npm run bootstrap-github [-- --yes] [--dry-run]: see scripts/deploy/bootstrap-github.ts and docs/github.md. */

import { runBootstrapGithub } from "./deploy/bootstrap-github.js";
import { runCli } from "./lib/cli.js";

const usage = `Usage: npm run bootstrap-github -- [--dry-run] [--yes] [--verbose]

Applies the project-wide "github" stack (config github_repository) with your own credentials: the
GitHub OIDC provider, the deploy role (main branch), the preview role (pull requests) and the
permissions boundary; then prints the repository variables the workflows read.
  --dry-run  print every step with its exact command, in order; run nothing but the synth
  --yes      apply the plan without asking
  --verbose  stream terraform's output as it runs`;

const options = { "dry-run": { type: "boolean" }, yes: { type: "boolean", short: "y" }, verbose: { type: "boolean" } } as const;

await runCli({ name: "npm run bootstrap-github", usage, options }, async ({ values }) => {
  await runBootstrapGithub({ dryRun: values["dry-run"], yes: values.yes, verbose: values.verbose });
});
