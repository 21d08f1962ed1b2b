/**
 * A deployed stage as the day-two commands (logs, status, resume) see it: the config with
 * `--stage` applied, the deploy's record (.deploy/<stage>.json) when there is one, and the names
 * of what the app stack created. Names come from the record's outputs, else from the config (they
 * are derived from it the same way the stacks derive them), so a stage deployed from another
 * machine or by plain terraform still works.
 */
import { join } from "node:path";
import { type AppConfig, stageName } from "../../stacks/config.js";
import { type DeploymentRecord, readRecord, recordPath } from "../deploy/record.js";
import { fetchStageRecord } from "../deploy/shared-state.js";
import { loadStageConfig } from "../deploy/stage-config.js";

export interface DeployedStage {
  config: AppConfig;
  stage: string;
  region: string;
  /** The app stack's id (`app`, `app-<stage>`). */
  appStackId: string;
  /** The deploy's record, when this machine deployed the stage. */
  record?: DeploymentRecord;
  /** Where the record is (or would be). */
  recordFile: string;
  functionName: string;
  functionLogGroup: string;
  apiLogGroup: string;
  apiUrl?: string;
  webUrl?: string;
  /** The HTTP API's id (the app stack's `api_id` output), when the record has it. */
  apiId?: string;
  /** The API's name, to find it when the record has no id. */
  apiName: string;
  /** Alarm names by region (the app stack's `alarm_names` output); empty without alarms or a record. */
  alarmNames: Record<string, string[]>;
}

const text = (v: unknown) => (typeof v === "string" && v ? v : undefined);

/**
 * loadDeployedStage, after fetching the stage's record from the shared state bucket when this
 * checkout has none (a stage deployed from another checkout or CI; docs/team.md). AWS errors on the
 * way are not fatal: the names derived from the config still work.
 */
export async function loadDeployedStageShared(projectDir: string, env: NodeJS.ProcessEnv, stage?: string): Promise<DeployedStage> {
  const first = loadDeployedStage(projectDir, env, stage);
  if (first.record) return first;
  try {
    if ((await fetchStageRecord(projectDir, first.config)) === "bucket") return loadDeployedStage(projectDir, env, stage);
  } catch {
    // no credentials or no access to the bucket: carry on with what the config gives
  }
  return first;
}

/** Throws ConfigError for a bad config or stage name (nothing is called). */
export function loadDeployedStage(
  projectDir: string,
  env: NodeJS.ProcessEnv,
  stage?: string,
  deployDir = join(projectDir, ".deploy"),
): DeployedStage {
  const staged = loadStageConfig(env, stage);
  staged.cleanup(); // only the parsed config is needed: nothing is synthesized
  const { config, ids } = staged;
  const record = readRecord(deployDir, config.stage);
  const outputs = (record?.stacks?.[ids.app] ?? {}) as Record<string, unknown>;
  const functionName = text(outputs.function_name) ?? stageName(config, config.lambda_name);
  const alarmNames =
    outputs.alarm_names && typeof outputs.alarm_names === "object" ? (outputs.alarm_names as Record<string, string[]>) : {};
  return {
    config,
    stage: config.stage,
    region: record?.region ?? config.aws_region,
    appStackId: ids.app,
    record,
    recordFile: recordPath(deployDir, config.stage),
    functionName,
    functionLogGroup: text(outputs.function_log_group) ?? `/aws/lambda/${functionName}`,
    apiLogGroup: text(outputs.api_log_group) ?? `/aws/apigateway/${stageName(config, `${config.project_name}-api`)}/default`,
    apiUrl: text(record?.api_url) ?? text(outputs.api_url),
    webUrl: text(record?.web_url) ?? text(outputs.web_url),
    apiId: text(outputs.api_id),
    apiName: stageName(config, `${config.project_name}-api`),
    alarmNames,
  };
}
