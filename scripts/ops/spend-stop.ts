/**
 * The API stage's throttle as the spend stop sees it: `npm run status` reports a stopped stage,
 * `npm run resume` puts the configured limits back. Both read the stage with API Gateway's
 * GetStage and decide "stopped" with the function's own `isStopped`, so they never disagree with it.
 * UpdateStage: https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html
 */
import { ApiGatewayV2Client, GetApisCommand, GetStageCommand, UpdateStageCommand } from "@aws-sdk/client-apigatewayv2";
import { isStopped, type StageSettings } from "../../modules/spend-stop/handler.mjs";
import { stageThrottles, type Throttle } from "../../stacks/api-throttles.js";
import { CommandError } from "../lib/cli.js";
import { explainAwsError } from "./aws-errors.js";
import type { DeployedStage } from "./stage.js";

/** The app stack's one stage. */
export const API_STAGE = "$default";

export interface StageThrottleState {
  apiId: string;
  stageName: string;
  stopped: boolean;
  /** Default route throttle now (rate/s, burst). */
  current: { rateLimit?: number; burstLimit?: number };
}

async function withClient<T>(region: string, what: string, use: (client: ApiGatewayV2Client) => Promise<T>): Promise<T> {
  const client = new ApiGatewayV2Client({ region });
  try {
    return await use(client);
  } catch (err) {
    throw explainAwsError(err, what);
  } finally {
    client.destroy();
  }
}

/** The stage's API id: the deploy's record, else the API named as the app stack names it. */
export async function apiIdOf(stage: DeployedStage): Promise<string> {
  if (stage.apiId) return stage.apiId;
  const ids = await withClient(stage.region, `find the API (apigateway:GET, region ${stage.region})`, async (client) => {
    const found: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new GetApisCommand({ NextToken: nextToken }));
      for (const api of page.Items ?? []) if (api.Name === stage.apiName && api.ApiId) found.push(api.ApiId);
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  });
  if (ids.length === 1) return ids[0]!;
  if (ids.length === 0) {
    throw new CommandError(
      `stage "${stage.stage}" has no API named ${stage.apiName} in ${stage.region}: it was never deployed there (or was destroyed)`,
    );
  }
  throw new CommandError(
    `${ids.length} APIs are named ${stage.apiName} in ${stage.region}; deploy the stage once so its record names the one to use`,
  );
}

async function getStage(client: ApiGatewayV2Client, apiId: string): Promise<StageSettings> {
  try {
    return await client.send(new GetStageCommand({ ApiId: apiId, StageName: API_STAGE }));
  } catch (err) {
    if (err instanceof Error && err.name === "NotFoundException") {
      throw new CommandError(`API ${apiId} has no ${API_STAGE} stage (was the stage destroyed?): ${err.message}`);
    }
    throw err;
  }
}

/** Whether the stage serves, read with GetStage. */
export async function stageThrottleState(region: string, apiId: string): Promise<StageThrottleState> {
  return withClient(region, `read the API stage's throttle (apigateway:GET, region ${region})`, async (client) => {
    const stage = await getStage(client, apiId);
    return {
      apiId,
      stageName: API_STAGE,
      stopped: isStopped(stage),
      current: {
        rateLimit: stage.DefaultRouteSettings?.ThrottlingRateLimit,
        burstLimit: stage.DefaultRouteSettings?.ThrottlingBurstLimit,
      },
    };
  });
}

export interface ResumeResult {
  apiId: string;
  /** false: the stage was serving already, nothing changed. */
  resumed: boolean;
  default: Throttle;
  routes: Record<string, Throttle>;
}

/**
 * Puts the configured throttles back on a stopped stage (the same values the app stack sets, from
 * `stageThrottles`). Routes that have settings of their own but no configured limit get the
 * default limits. A stage that is serving is left alone.
 */
export async function resumeStage(stage: DeployedStage): Promise<ResumeResult> {
  const apiId = await apiIdOf(stage);
  const wanted = stageThrottles(stage.config);
  return withClient(stage.region, `resume the API stage (apigateway:GET and apigateway:PATCH, region ${stage.region})`, async (client) => {
    const current = await getStage(client, apiId);
    const routes: Record<string, Throttle> = {};
    for (const key of new Set([...Object.keys(current.RouteSettings ?? {}), ...Object.keys(wanted.routes)])) {
      routes[key] = wanted.routes[key] ?? wanted.default;
    }
    if (!isStopped(current)) return { apiId, resumed: false, default: wanted.default, routes };
    const settings = (t: Throttle, detailed: boolean | undefined) => ({
      ThrottlingRateLimit: t.rateLimit,
      ThrottlingBurstLimit: t.burstLimit,
      DetailedMetricsEnabled: detailed ?? false,
    });
    await client.send(
      new UpdateStageCommand({
        ApiId: apiId,
        StageName: API_STAGE,
        DefaultRouteSettings: settings(wanted.default, current.DefaultRouteSettings?.DetailedMetricsEnabled),
        RouteSettings: Object.fromEntries(
          Object.entries(routes).map(([key, t]) => [key, settings(t, current.RouteSettings?.[key]?.DetailedMetricsEnabled)]),
        ),
      }),
    );
    return { apiId, resumed: true, default: wanted.default, routes };
  });
}
