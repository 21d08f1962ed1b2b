/**
 * `npm run status`: one deployed stage at a glance. Its URLs and outputs (the deploy's record), the
 * same checks as the post-deploy smoke check (scripts/deploy/smoke-check.ts), the image it runs
 * against the tag the working tree would build, every alarm's state (CloudWatch DescribeAlarms, in
 * each region that has alarms), and when it was last deployed.
 */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import type { LambdaArchitecture } from "../deploy/container.js";
import { imageTag } from "../deploy/image-tag.js";
import { formatSmokeResults, type SmokeOptions, type SmokeResult, smokeCheck } from "../deploy/smoke-check.js";
import { CommandError } from "../lib/cli.js";
import { explainAwsError } from "./aws-errors.js";
import { type StageThrottleState, stageThrottleState } from "./spend-stop.js";
import type { DeployedStage } from "./stage.js";

export interface AlarmState {
  region: string;
  name: string;
  /** OK, ALARM, INSUFFICIENT_DATA, or MISSING (the stack names it but CloudWatch has no such alarm). */
  state: string;
  reason?: string;
  since?: string;
}

export interface StageStatus {
  stage: string;
  region: string;
  deployedAt: string;
  /** The commit the deploy recorded, when it recorded one. */
  commit?: string;
  webUrl?: string;
  apiUrl?: string;
  outputs: Record<string, unknown>;
  smoke: SmokeResult[];
  image: { deployed: string; workingTree: string; current: boolean };
  alarms: AlarmState[];
  /**
   * The stage's throttle (read when the record names the API): `stopped` when it is throttled to
   * zero, by the spend stop or by hand. Absent for a record without the `api_id` output.
   */
  serving?: StageThrottleState & { spendStop: boolean };
  /** Whether everything answers and no alarm is in ALARM. */
  healthy: boolean;
}

/** The alarms the app stack names, by region, with their state. */
async function alarmStates(names: Record<string, string[]>): Promise<AlarmState[]> {
  const states: AlarmState[] = [];
  for (const [region, wanted] of Object.entries(names)) {
    if (!wanted.length) continue;
    const client = new CloudWatchClient({ region });
    try {
      const found = new Map<string, AlarmState>();
      // DescribeAlarms takes at most 100 names per call.
      for (let i = 0; i < wanted.length; i += 100) {
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new DescribeAlarmsCommand({ AlarmNames: wanted.slice(i, i + 100), AlarmTypes: ["MetricAlarm"], NextToken: nextToken }),
          );
          for (const a of page.MetricAlarms ?? []) {
            found.set(a.AlarmName!, {
              region,
              name: a.AlarmName!,
              state: a.StateValue ?? "?",
              reason: a.StateReason,
              since: a.StateUpdatedTimestamp?.toISOString(),
            });
          }
          nextToken = page.NextToken;
        } while (nextToken);
      }
      for (const name of wanted) states.push(found.get(name) ?? { region, name, state: "MISSING" });
    } catch (err) {
      throw explainAwsError(err, `read the alarms (cloudwatch:DescribeAlarms, region ${region})`);
    } finally {
      client.destroy();
    }
  }
  return states;
}

export async function stageStatus(stage: DeployedStage, projectDir: string, smoke: SmokeOptions = {}): Promise<StageStatus> {
  const record = stage.record;
  if (!record) {
    throw new CommandError(
      `stage "${stage.stage}" has no deploy record (${stage.recordFile}): it was never deployed from this working tree. ` +
        `Deploy it with npm run deploy${stage.config.isDefaultStage ? "" : ` -- --stage ${stage.stage}`}`,
    );
  }
  const results =
    stage.apiUrl && stage.webUrl
      ? await smokeCheck({ apiUrl: stage.apiUrl, webUrl: stage.webUrl, signIn: stage.config.auth === "cognito" }, smoke)
      : [];
  const workingTree = imageTag(projectDir, stage.config.lambda_architecture as LambdaArchitecture);
  const alarms = await alarmStates(stage.alarmNames);
  const throttle = stage.apiId ? await stageThrottleState(stage.region, stage.apiId) : undefined;
  const spendStop = typeof record.stacks?.[stage.appStackId]?.spend_stop_function === "string";
  const commit = (record as { commit?: unknown }).commit;
  return {
    stage: stage.stage,
    region: stage.region,
    deployedAt: record.deployedAt,
    commit: typeof commit === "string" ? commit : undefined,
    webUrl: stage.webUrl,
    apiUrl: stage.apiUrl,
    outputs: record.stacks?.[stage.appStackId] ?? {},
    smoke: results,
    image: { deployed: record.image.tag, workingTree, current: record.image.tag === workingTree },
    alarms,
    serving: throttle ? { ...throttle, spendStop } : undefined,
    healthy:
      results.length > 0 &&
      results.every((r) => r.ok) &&
      alarms.every((a) => a.state !== "ALARM" && a.state !== "MISSING") &&
      !throttle?.stopped,
  };
}

function servingLines(s: StageStatus): string[] {
  if (!s.serving) return [];
  const resume = `npm run resume${s.stage === "dev" ? "" : ` -- --stage ${s.stage}`}`;
  if (s.serving.stopped) {
    return [
      `  ✘ API STOPPED: its stage is throttled to 0 requests/s (${s.serving.spendStop ? "the spend stop: the month's actual cost passed the budget" : "by hand"}); every request gets 429. ${resume} restores the configured limits`,
    ];
  }
  const { rateLimit, burstLimit } = s.serving.current;
  return [
    `  API serving: ${rateLimit ?? "?"} requests/s per route (burst ${burstLimit ?? "?"})${s.serving.spendStop ? "; spend stop armed" : ""}`,
  ];
}

/** The status as the command prints it. */
export function formatStatus(s: StageStatus): string[] {
  const lines = [
    `Stage ${s.stage} (${s.region}): ${s.healthy ? "healthy" : "NOT healthy"}`,
    `  last deployed ${s.deployedAt}${s.commit ? ` from commit ${s.commit}` : " (the record names no commit)"}`,
    `  web  ${s.webUrl ?? "(no web_url output)"}`,
    `  API  ${s.apiUrl ?? "(no api_url output)"}`,
    ...servingLines(s),
    `  image ${s.image.deployed}: ${s.image.current ? "what the working tree builds" : `the working tree would build ${s.image.workingTree} (npm run deploy rolls it)`}`,
    "Checks:",
    ...(s.smoke.length ? formatSmokeResults(s.smoke).map((l) => `  ${l}`) : ["  (no web_url/api_url recorded: nothing to check)"]),
    "Alarms:",
    ...(s.alarms.length
      ? s.alarms.map(
          (a) =>
            `  ${a.state === "ALARM" || a.state === "MISSING" ? "✘" : "✔"} ${a.state.padEnd(17)} ${a.name} (${a.region})${a.state === "ALARM" && a.reason ? `: ${a.reason}` : ""}`,
        )
      : ["  (none: set alarm_email to create them)"]),
    "Outputs:",
    ...Object.entries(s.outputs).map(([k, v]) => `  ${k} = ${typeof v === "string" ? v : JSON.stringify(v)}`),
  ];
  return lines;
}
