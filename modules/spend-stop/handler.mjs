// @ts-check
/**
 * The spend stop: AWS Budgets publishes to an SNS topic when the month's actual cost passes the
 * budget, and SNS invokes this function, which throttles the API's stage to zero. API Gateway then
 * answers every request 429 without invoking the backend function or touching the table.
 *
 * Plain JavaScript with no dependencies: it is zipped as is at synth, and the AWS SDK for
 * JavaScript v3 comes with Lambda's Node.js runtimes
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html).
 * `npm run status` and `npm run resume` read a stage with `isStopped` from this file too.
 */
import { ApiGatewayV2Client, GetStageCommand, UpdateStageCommand } from "@aws-sdk/client-apigatewayv2";

/** A stage stopped by the spend stop: every route's bucket holds no tokens and refills at 0/s. */
export const STOPPED_THROTTLE = Object.freeze({ ThrottlingRateLimit: 0, ThrottlingBurstLimit: 0 });

/**
 * @typedef {{ ThrottlingRateLimit?: number, ThrottlingBurstLimit?: number, DetailedMetricsEnabled?: boolean }} RouteSettings
 * @typedef {{ DefaultRouteSettings?: RouteSettings, RouteSettings?: Record<string, RouteSettings> }} StageSettings
 */

/** @param {RouteSettings | undefined} s */
const zero = (s) => s?.ThrottlingRateLimit === 0 && s?.ThrottlingBurstLimit === 0;

/**
 * Whether a stage serves nothing: its default route settings and every route's own settings
 * (which replace the defaults for that route) throttle to zero.
 * @param {StageSettings} stage
 */
export function isStopped(stage) {
  return zero(stage.DefaultRouteSettings) && Object.values(stage.RouteSettings ?? {}).every(zero);
}

/**
 * The UpdateStage settings that stop a stage: zero throttling by default and on every route that
 * has settings of its own, keeping the other settings (detailed metrics) as they are.
 * @param {StageSettings} stage
 * @returns {Required<StageSettings>}
 */
export function stoppedSettings(stage) {
  /** @param {RouteSettings | undefined} s */
  const stop = (s) => ({ DetailedMetricsEnabled: s?.DetailedMetricsEnabled ?? false, ...STOPPED_THROTTLE });
  return {
    DefaultRouteSettings: stop(stage.DefaultRouteSettings),
    RouteSettings: Object.fromEntries(Object.entries(stage.RouteSettings ?? {}).map(([key, s]) => [key, stop(s)])),
  };
}

/**
 * Throttles one stage to zero (GetStage, then UpdateStage). Does nothing when it already is.
 * @param {Pick<ApiGatewayV2Client, "send">} client
 * @param {string} apiId
 * @param {string} stageName
 * @returns {Promise<{ changed: boolean, routes: string[] }>}
 */
export async function stopStage(client, apiId, stageName) {
  const stage = await client.send(new GetStageCommand({ ApiId: apiId, StageName: stageName }));
  const routes = Object.keys(stage.RouteSettings ?? {});
  if (isStopped(stage)) return { changed: false, routes };
  await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: stageName, ...stoppedSettings(stage) }));
  return { changed: true, routes };
}

/**
 * SNS event handler. Environment: API_ID and STAGE_NAME (the one stage this function may change).
 * @param {{ Records?: { Sns?: { Subject?: string, Message?: string, TopicArn?: string } }[] }} event
 */
export async function handler(event) {
  const apiId = process.env.API_ID;
  const stageName = process.env.STAGE_NAME;
  if (!apiId || !stageName) throw new Error("API_ID and STAGE_NAME must be set");
  for (const record of event.Records ?? []) {
    console.log(
      JSON.stringify({
        msg: "budget notification",
        topic: record.Sns?.TopicArn,
        subject: record.Sns?.Subject,
        message: record.Sns?.Message,
      }),
    );
  }
  const client = new ApiGatewayV2Client({});
  try {
    const result = await stopStage(client, apiId, stageName);
    console.log(
      JSON.stringify({
        msg: result.changed ? "stage stopped: throttled to 0 requests/s" : "stage was already stopped",
        apiId,
        stageName,
        routesWithOwnSettings: result.routes,
        resume: "npm run resume",
      }),
    );
    return result;
  } finally {
    client.destroy();
  }
}
