/**
 * Synth assertions for `alarm_email`: the alarms, their topics, topic policies and subscriptions,
 * with and without it, in and outside us-east-1, and the config rules around it.
 */
import { describe, expect, test } from "vitest";
import { parseConfig } from "../../stacks/config.js";
import { synthConfig } from "../support/synth-config.js";
import { type Block, resources, single } from "../support/tf.js";
import { synthVariant } from "../support/variants.js";

const alarmsOf = (stack: Block) =>
  Object.fromEntries(resources(stack, "aws_cloudwatch_metric_alarm").map((a) => [a.body.alarm_name as string, a.body]));
const topicRef = (stack: Block, startsWith: string) =>
  `\${aws_sns_topic.${resources(stack, "aws_sns_topic").find((t) => t.name.startsWith(startsWith))!.name}.arn}`;

describe("without alarm_email", () => {
  test("there is no alarm, topic, subscription or alarm output, and the key policy has no CloudWatch statement", () => {
    const { stacks } = synthConfig({ kms_customer_key: true });
    const app = stacks.app!;
    for (const type of ["aws_cloudwatch_metric_alarm", "aws_sns_topic", "aws_sns_topic_policy", "aws_sns_topic_subscription"]) {
      expect(resources(app, type), type).toHaveLength(0);
    }
    expect(app.output?.alarm_names).toBeUndefined();
    expect(single(app, "aws_kms_key").policy).not.toContain("cloudwatch.amazonaws.com");
  });
});

describe("with alarm_email outside us-east-1 (the alarms variant: eu-west-1, customer key, budget)", () => {
  const { stacks } = synthVariant("alarms");
  const app = stacks.app!;
  const alarms = alarmsOf(app);
  const regionalTopic = topicRef(app, "alarm_topic_");
  const usEast1Topic = topicRef(app, "alarm_topic_us_east_1_");

  test("nine alarms: eight in the stack's region on its topic (the spend stop's errors among them), the CDN's in us-east-1 on a topic there", () => {
    expect(Object.keys(alarms).sort()).toEqual(
      [
        "api-5xx",
        "api-latency",
        "cdn-5xx-rate",
        "dynamodb-errors",
        "dynamodb-throttles",
        "lambda-duration",
        "lambda-errors",
        "lambda-throttles",
        "spend-stop-errors",
      ].map((k) => `serverless-starter-${k}`),
    );
    for (const [name, a] of Object.entries(alarms)) {
      const topic = name.endsWith("cdn-5xx-rate") ? usEast1Topic : regionalTopic;
      expect(a, name).toMatchObject({ treat_missing_data: "notBreaching", alarm_actions: [topic], ok_actions: [topic] });
      expect(a.provider, name).toBe(name.endsWith("cdn-5xx-rate") ? "aws.us_east_1" : undefined);
    }
    const names = app.output.alarm_names.value as Record<string, string[]>;
    expect(Object.keys(names).sort()).toEqual(["eu-west-1", "us-east-1"]);
    expect([...names["eu-west-1"]!].sort()).toEqual(
      Object.keys(alarms)
        .filter((n) => !n.endsWith("cdn-5xx-rate"))
        .sort(),
    );
    expect(names["us-east-1"]).toEqual(["serverless-starter-cdn-5xx-rate"]);
  });

  test("each alarm watches the documented metric and dimensions, with the default thresholds", () => {
    const fn = { FunctionName: expect.stringMatching(/^\$\{aws_lambda_function\.api_function_\w+\.function_name\}$/) };
    const api = { ApiId: expect.stringMatching(/^\$\{aws_apigatewayv2_api\.api_\w+\.id\}$/), Stage: "$default" };
    const at = (k: string) => alarms[`serverless-starter-${k}`];
    expect(at("lambda-errors")).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: fn,
      statistic: "Sum",
      threshold: 5,
      period: 300,
    });
    expect(at("lambda-throttles")).toMatchObject({ namespace: "AWS/Lambda", metric_name: "Throttles", dimensions: fn, threshold: 1 });
    // 80% of the default 5 s timeout
    expect(at("lambda-duration")).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Duration",
      statistic: "Maximum",
      threshold: 4000,
    });
    expect(at("api-5xx")).toMatchObject({
      namespace: "AWS/ApiGateway",
      metric_name: "5xx",
      dimensions: api,
      statistic: "Sum",
      threshold: 5,
    });
    expect(at("api-latency")).toMatchObject({
      metric_name: "Latency",
      dimensions: api,
      extended_statistic: "p99",
      threshold: 2500,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
    });
    expect(at("cdn-5xx-rate")).toMatchObject({
      namespace: "AWS/CloudFront",
      metric_name: "5xxErrorRate",
      dimensions: { DistributionId: expect.stringMatching(/^\$\{aws_cloudfront_distribution\.\w+\.id\}$/), Region: "Global" },
      statistic: "Average",
      threshold: 5,
    });
    for (const [key, metric] of [
      ["dynamodb-throttles", "ThrottledRequests"],
      ["dynamodb-errors", "SystemErrors"],
    ] as const) {
      const queries = at(key).metric_query as Block[];
      // one metric per operation the backend calls: CloudWatch does not aggregate a missing Operation dimension
      expect(queries.filter((q) => q.metric).map((q) => [q.metric.metric_name, q.metric.dimensions.Operation])).toEqual(
        ["GetItem", "PutItem", "Query"].map((op) => [metric, op]),
      );
      expect(queries.find((q) => q.return_data)).toMatchObject({ expression: "SUM([m0, m1, m2])" });
      expect(at(key).threshold).toBe(1);
    }
  });

  test("two topics, each with an e-mail subscription to alarm_email; only the regional one is encrypted (with the customer key)", () => {
    const topics = resources(app, "aws_sns_topic");
    expect(topics).toHaveLength(2);
    expect(topics.find((t) => t.name.startsWith("alarm_topic_us_east_1_"))!.body).toMatchObject({ provider: "aws.us_east_1" });
    expect(topics.find((t) => t.name.startsWith("alarm_topic_us_east_1_"))!.body.kms_master_key_id).toBeUndefined();
    expect(topics.find((t) => !t.name.startsWith("alarm_topic_us_east_1_"))!.body.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    // (the spend stop's function subscribes to the registry stack's topic: protocol lambda)
    const subscriptions = resources(app, "aws_sns_topic_subscription")
      .map((s) => s.body)
      .filter((s) => s.protocol === "email");
    expect(subscriptions.map((s) => [s.topic_arn, s.protocol, s.endpoint]).sort()).toEqual(
      [
        [regionalTopic, "email", "alarms@example.com"],
        [usEast1Topic, "email", "alarms@example.com"],
      ].sort(),
    );
  });

  test("topic policies let only CloudWatch alarms of this account and of the topic's region publish", () => {
    const policies = resources(app, "aws_sns_topic_policy").map((p) => ({ arn: p.body.arn, doc: JSON.parse(p.body.policy) }));
    const region = (arn: string) => (arn === usEast1Topic ? "us-east-1" : "eu-west-1");
    expect(policies.map((p) => p.arn).sort()).toEqual([regionalTopic, usEast1Topic].sort());
    for (const { arn, doc } of policies) {
      expect(doc.Statement).toEqual([
        {
          Sid: "CloudWatchAlarmsOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: arn,
          Condition: {
            StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.current.account_id}" },
            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region(arn)}:\${data.aws_caller_identity.current.account_id}:alarm:*` },
          },
        },
      ]);
    }
  });

  test("the customer key lets CloudWatch alarms of this account encrypt to the topic it encrypts", () => {
    const statement = JSON.parse(single(app, "aws_kms_key").policy).Statement.find(
      (s: Block) => s.Principal?.Service === "cloudwatch.amazonaws.com",
    );
    expect(statement).toMatchObject({
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: {
        StringEquals: { "aws:SourceAccount": expect.any(String) },
        ArnLike: { "aws:SourceArn": expect.stringMatching(/^arn:aws:cloudwatch:eu-west-1:/) },
      },
    });
  });

  test("the budget, with no budget_email, alerts alarm_email", () => {
    const budget = single(stacks.registry!, "aws_budgets_budget");
    for (const n of budget.notification as Block[]) expect(n.subscriber_email_addresses).toEqual(["alarms@example.com"]);
  });
});

describe("with alarm_email in us-east-1 (all-toggles)", () => {
  test("one topic serves every alarm, the CDN's included; budget_email keeps the budget's own address", () => {
    const { stacks } = synthVariant("all-toggles");
    const topics = resources(stacks.app!, "aws_sns_topic");
    expect(topics).toHaveLength(1);
    const arn = `\${aws_sns_topic.${topics[0]!.name}.arn}`;
    for (const a of Object.values(alarmsOf(stacks.app!))) expect(a.alarm_actions).toEqual([arn]);
    expect(stacks.app!.output.alarm_names.value["us-east-1"]).toHaveLength(9); // eight, and the spend stop's errors
    for (const n of single(stacks.registry!, "aws_budgets_budget").notification as Block[])
      expect(n.subscriber_email_addresses).toEqual(["ops@example.com"]);
  });
});

describe("thresholds", () => {
  test("the config's threshold keys reach the alarms; the duration alarm follows lambda_timeout", () => {
    const { stacks } = synthConfig({
      stage: "prod",
      alarm_email: "a@example.com",
      lambda_timeout: 10,
      alarm_error_count: 1,
      alarm_api_latency_ms: 1000,
      alarm_duration_percent: 50,
      alarm_cdn_5xx_percent: 10,
    });
    const alarms = alarmsOf(stacks["app-prod"]!);
    expect(alarms["serverless-starter-prod-lambda-errors"]!.threshold).toBe(1);
    expect(alarms["serverless-starter-prod-api-5xx"]!.threshold).toBe(1);
    expect(alarms["serverless-starter-prod-api-latency"]!.threshold).toBe(1000);
    expect(alarms["serverless-starter-prod-lambda-duration"]!.threshold).toBe(5000);
    expect(alarms["serverless-starter-prod-cdn-5xx-rate"]!.threshold).toBe(10);
  });

  const problems = (raw: Record<string, unknown>) => {
    const r = parseConfig(raw);
    return r.ok ? [] : r.problems.map((p) => `${p.key}: ${p.rule}`);
  };

  test.each([
    [{ alarm_error_count: 3 }, /^alarm_error_count: can only be used together with alarm_email/],
    [{ alarm_email: "x@example.com", alarm_duration_percent: 0 }, /^alarm_duration_percent: must be from 10 to 100/],
    [{ alarm_email: "not-an-address" }, /^alarm_email: must be an e-mail address/],
    [{ budget_monthly_usd: 10 }, /^budget_email: must be set together with budget_monthly_usd \(or set alarm_email/],
    [{ budget_email: "x@example.com" }, /^budget_monthly_usd: must be set together with budget_email/],
  ])("%j is refused", (raw, message) => {
    expect(problems(raw)).toEqual([expect.stringMatching(message)]);
  });

  test("a budget with alarm_email and no budget_email is accepted", () => {
    expect(problems({ budget_monthly_usd: 10, alarm_email: "x@example.com" })).toEqual([]);
  });
});
