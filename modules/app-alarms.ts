/**
 * The app's CloudWatch alarms: the function (errors, throttles, duration near its timeout), the
 * HTTP API (5xx answers, p99 latency), the table (throttled requests, system errors) and the CDN
 * (5xx error rate). Each notifies a topic on ALARM and again on OK; missing data (no traffic) is
 * not breaching, so an idle app stays quiet.
 *
 * Metrics and dimensions as documented by AWS:
 * - Lambda: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (AWS/Lambda, FunctionName)
 * - HTTP API: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html (AWS/ApiGateway, ApiId + Stage; 5xx, Latency)
 * - DynamoDB: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
 *   (ThrottledRequests and SystemErrors carry TableName + Operation: CloudWatch does not aggregate a
 *   missing dimension, so the alarm sums one metric per operation the backend calls)
 * - CloudFront: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
 *   (AWS/CloudFront, DistributionId + Region=Global, published in us-east-1 only)
 */

import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

export interface AlarmThresholds {
  /** Lambda errors, and API 5xx answers, in 5 minutes. @default 5 */
  readonly errorCount?: number;
  /** API p99 latency over 5 minutes, 3 periods in a row, ms. @default 2500 */
  readonly apiLatencyMs?: number;
  /** The function's longest run in 5 minutes, in percent of its timeout. @default 80 */
  readonly durationPercent?: number;
  /** CloudFront 5xx error rate, percent, two 5-minute periods in a row. @default 5 */
  readonly cdn5xxPercent?: number;
}

export interface AppAlarmsProps {
  /** Prefix of every alarm name (alarm names are unique per account and region). */
  readonly namePrefix: string;
  /** Topic of the stack's region, notified by every regional alarm. */
  readonly topicArn: string;
  readonly function: { readonly name: string; readonly timeoutSeconds: number };
  /** The HTTP API and its stage (`$default`). */
  readonly api: { readonly id: string; readonly stage: string };
  /** The table and the operations the backend calls on it ("GetItem", ...). */
  readonly table: { readonly name: string; readonly operations: readonly string[] };
  /** The distribution; its alarm lives in us-east-1 and notifies a topic there. @default no CDN alarm */
  readonly cdn?: { readonly distributionId: string; readonly topicArn: string; readonly provider: TerraformProvider };
  /** The spend stop's function: any error means the API was not stopped. @default no such alarm */
  readonly spendStopFunctionName?: string;
  /** @default the AlarmThresholds defaults */
  readonly thresholds?: AlarmThresholds;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** Five-minute periods: the metrics are per minute, but one bad minute should not mail anyone. */
const PERIOD_S = 300;

export class AppAlarms extends Construct {
  /** Names of the alarms in the stack's region. */
  readonly regionalAlarmNames: string[] = [];
  /** Names of the alarms in us-east-1 (the CDN's). */
  readonly usEast1AlarmNames: string[] = [];
  /** Every alarm, by its key (the name after `namePrefix-`, e.g. "lambda-errors"). */
  readonly alarms: Record<string, CloudwatchMetricAlarm> = {};

  constructor(scope: Construct, id: string, props: AppAlarmsProps) {
    super(scope, id);
    const t = {
      errorCount: props.thresholds?.errorCount ?? 5,
      apiLatencyMs: props.thresholds?.apiLatencyMs ?? 2500,
      durationPercent: props.thresholds?.durationPercent ?? 80,
      cdn5xxPercent: props.thresholds?.cdn5xxPercent ?? 5,
    };
    if (!(t.errorCount >= 1)) throw new Error(`AppAlarms ${id}: errorCount must be at least 1`);
    if (!(t.durationPercent > 0 && t.durationPercent <= 100)) throw new Error(`AppAlarms ${id}: durationPercent must be in (0, 100]`);
    if (props.table.operations.length === 0 || props.table.operations.length > 10) {
      throw new Error(`AppAlarms ${id}: name 1 to 10 table operations (one metric each in the alarm's expression)`);
    }

    const alarm = (key: string, config: Omit<CloudwatchMetricAlarmConfig, "alarmName" | "treatMissingData">, usEast1 = false) => {
      const alarmName = `${props.namePrefix}-${key}`;
      const topic = usEast1 ? props.cdn!.topicArn : props.topicArn;
      this.alarms[key] = new CloudwatchMetricAlarm(this, key.replace(/-/g, "_"), {
        alarmName,
        treatMissingData: "notBreaching",
        alarmActions: [topic],
        okActions: [topic],
        tags: props.tags,
        ...(usEast1 ? { provider: props.cdn!.provider } : {}),
        ...config,
      });
      (usEast1 ? this.usEast1AlarmNames : this.regionalAlarmNames).push(alarmName);
    };
    const single = (namespace: string, metricName: string, dimensions: Record<string, string>) => ({
      namespace,
      metricName,
      dimensions,
      period: PERIOD_S,
    });
    const fn = { FunctionName: props.function.name };
    const api = { ApiId: props.api.id, Stage: props.api.stage };

    alarm("lambda-errors", {
      alarmDescription: `The function failed (crash, timeout or out of memory) ${t.errorCount}+ times in 5 minutes.`,
      ...single("AWS/Lambda", "Errors", fn),
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.errorCount,
      evaluationPeriods: 1,
    });
    alarm("lambda-throttles", {
      alarmDescription: "Lambda refused invocations for lack of concurrency (reserved concurrency or the account's limit).",
      ...single("AWS/Lambda", "Throttles", fn),
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
    });
    const durationMs = Math.floor(props.function.timeoutSeconds * 1000 * (t.durationPercent / 100));
    alarm("lambda-duration", {
      alarmDescription: `A run took ${durationMs} ms or more, ${t.durationPercent}% of the ${props.function.timeoutSeconds} s timeout: timeouts are next.`,
      ...single("AWS/Lambda", "Duration", fn),
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: durationMs,
      evaluationPeriods: 1,
    });
    alarm("api-5xx", {
      alarmDescription: `The API answered ${t.errorCount}+ server errors (5xx) in 5 minutes.`,
      ...single("AWS/ApiGateway", "5xx", api),
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.errorCount,
      evaluationPeriods: 1,
    });
    alarm("api-latency", {
      alarmDescription: `The API's p99 latency stayed at ${t.apiLatencyMs} ms or more for 15 minutes.`,
      ...single("AWS/ApiGateway", "Latency", api),
      extendedStatistic: "p99",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.apiLatencyMs,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    });
    const perOperation = (metricName: string, label: string) => ({
      metricQuery: [
        ...props.table.operations.map((operation, i) => ({
          id: `m${i}`,
          metric: {
            namespace: "AWS/DynamoDB",
            metricName,
            dimensions: { TableName: props.table.name, Operation: operation },
            period: PERIOD_S,
            stat: "Sum",
          },
        })),
        { id: "total", expression: `SUM([${props.table.operations.map((_, i) => `m${i}`).join(", ")}])`, label, returnData: true },
      ],
    });
    alarm("dynamodb-throttles", {
      alarmDescription: `DynamoDB throttled requests on ${props.table.operations.join("/")} in 5 minutes.`,
      ...perOperation("ThrottledRequests", "throttled requests"),
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
    });
    alarm("dynamodb-errors", {
      alarmDescription: `DynamoDB answered internal errors (HTTP 500) on ${props.table.operations.join("/")} in 5 minutes.`,
      ...perOperation("SystemErrors", "system errors"),
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
    });
    if (props.spendStopFunctionName) {
      alarm("spend-stop-errors", {
        alarmDescription:
          "The spend stop failed: the budget's alert did not throttle the API (Lambda retries twice). See its log; throttle the stage by hand.",
        ...single("AWS/Lambda", "Errors", { FunctionName: props.spendStopFunctionName }),
        statistic: "Sum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 1,
      });
    }
    if (props.cdn) {
      alarm(
        "cdn-5xx-rate",
        {
          alarmDescription: `CloudFront answered ${t.cdn5xxPercent}%+ of requests with 5xx for 10 minutes.`,
          ...single("AWS/CloudFront", "5xxErrorRate", { DistributionId: props.cdn.distributionId, Region: "Global" }),
          statistic: "Average",
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: t.cdn5xxPercent,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
        },
        true,
      );
    }
  }
}
