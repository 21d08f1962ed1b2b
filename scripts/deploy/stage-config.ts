/**
 * The config a command works on: the APP_CONFIG file (or defaults) with `--stage` applied. The stage
 * override is a merged copy of the file in a temp dir that APP_CONFIG then names, so synth and every
 * child process see exactly the config this command validated.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type AppConfig, ConfigError, loadConfig, stackIds } from "../../stacks/config.js";
import { ConfigFileError, readConfigFile } from "../../stacks/config-file.js";

export interface StageConfig {
  config: AppConfig;
  ids: { registry: string; app: string };
  /** Environment for child processes: APP_CONFIG names the effective config (absolute path), when there is one. */
  env: NodeJS.ProcessEnv;
  /** Removes the temp config, if one was written. */
  cleanup: () => void;
}

/** Loads and validates the config; throws ConfigError with every problem. */
export function loadStageConfig(baseEnv: NodeJS.ProcessEnv, stage?: string): StageConfig {
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  // Image tags are chosen per command (the one pushed, the one deployed), never inherited by accident.
  delete env.APP_IMAGE_TAG;
  if (env.APP_CONFIG) env.APP_CONFIG = resolve(env.APP_CONFIG);
  let cleanup = () => {};
  if (stage !== undefined) {
    const raw = env.APP_CONFIG ? readRawConfig(env.APP_CONFIG) : {};
    const dir = mkdtempSync(join(tmpdir(), "deploy-config-"));
    const file = join(dir, "app.config.json");
    writeFileSync(file, `${JSON.stringify({ ...raw, stage }, null, 2)}\n`);
    env.APP_CONFIG = file;
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    const config = loadConfig(env);
    return { config, ids: stackIds(config), env, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

function readRawConfig(file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = readConfigFile(file); // the same refusals as the synth: duplicates, BOM, FIFOs, deep nesting
  } catch (e) {
    if (!(e instanceof ConfigFileError)) throw e;
    throw new ConfigError([{ key: "APP_CONFIG", value: file, rule: e.rule }], file);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError([{ key: "(config)", value: raw, rule: "must be a JSON object" }], file);
  }
  return raw as Record<string, unknown>;
}
