/**
 * `npm run deploy` as its own process, on a test fixture: the options come from DEPLOY_DRIVER
 * (JSON: root, commands, env, flags), output goes to this process's stdout, errors and exit codes
 * through the same CLI front-end as scripts/deploy.ts. Lets a test send it real signals.
 */
import { type DeployOptions, runDeploy } from "../../../scripts/deploy/deploy.js";
import { runCli } from "../../../scripts/lib/cli.js";

const options = JSON.parse(process.env.DEPLOY_DRIVER ?? "{}") as DeployOptions;
await runCli({ name: "npm run deploy", usage: "", options: {} }, async () => {
  await runDeploy({ ...options, out: process.stdout });
}, []);
