/**
 * Entry point of `cdktf synth` (cdktf.json runs it with the local tsx): reads the config named by
 * APP_CONFIG, refuses bad config before anything is written, then synthesizes both stacks.
 */
import { buildApp } from "./stacks/app.js";
import { ConfigError, loadConfig } from "./stacks/config.js";

try {
  const config = loadConfig(process.env);
  buildApp(config).synth();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
