/**
 * Entry point of the synth (cdktf.json's app command, run with the local tsx by `npm run synth`,
 * `cdktf synth` and the deploy): reads the config named by APP_CONFIG, refuses bad config before
 * anything is written, then synthesizes both stacks into CDKTF_OUTDIR (default cdktf.out).
 */
import { synthesize } from "./scripts/lib/synth.js";
import { ConfigError, loadConfig } from "./stacks/config.js";

try {
  const config = loadConfig(process.env);
  synthesize(config, process.env.CDKTF_OUTDIR || "cdktf.out");
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
