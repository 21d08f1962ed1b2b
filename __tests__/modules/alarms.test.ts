/** AlarmTopic, AppAlarms and MonthlyBudget on their own: what each creates, and an override through an exposed resource. */
import { describe, expect, test } from "vitest";
import { AlarmTopic } from "../../modules/alarm-topic.js";
import { AppAlarms } from "../../modules/app-alarms.js";
import { MonthlyBudget } from "../../modules/budget.js";
import { synthConstruct } from "./support/synth.js";

const topicProps = { name: "alarms", email: "ops@example.com", accountId: "123456789012", region: "eu-west-1" };
const alarmProps = {
  namePrefix: "app",
  topicArn: "arn:aws:sns:eu-west-1:123456789012:alarms",
  function: { name: "api", timeoutSeconds: 5 },
  api: { id: "abc123", stage: "$default" },
  table: { name: "users", operations: ["GetItem", "PutItem"] },
};

describe("AlarmTopic", () => {
  test("a topic only this account's alarms in this region may publish to, with an e-mail subscription", () => {
    const { only } = synthConstruct((scope) => new AlarmTopic(scope, "topic", topicProps));
    const policy = JSON.parse(only("aws_sns_topic_policy").policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Condition.ArnLike["aws:SourceArn"]).toBe("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*");
    expect(only("aws_sns_topic_subscription")).toMatchObject({ protocol: "email", endpoint: "ops@example.com" });
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new AlarmTopic(scope, "topic", topicProps).subscription.confirmationTimeoutInMinutes = 5;
    });
    expect(only("aws_sns_topic_subscription").confirmation_timeout_in_minutes).toBe(5);
  });
});

describe("AppAlarms", () => {
  test("each alarm is exposed under its key and notifies the topic on ALARM and OK; no traffic is not breaching", () => {
    let keys: string[] = [];
    const { resources } = synthConstruct((scope) => {
      keys = Object.keys(new AppAlarms(scope, "alarms", alarmProps).alarms);
    });
    const alarms = Object.values(resources.aws_cloudwatch_metric_alarm ?? {});
    expect(alarms).toHaveLength(keys.length);
    expect(keys).toContain("lambda-errors");
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        alarm_actions: [alarmProps.topicArn],
        ok_actions: [alarmProps.topicArn],
        treat_missing_data: "notBreaching",
      });
    }
  });

  test("an exposed resource takes an override", () => {
    const { resources } = synthConstruct((scope) => {
      new AppAlarms(scope, "alarms", alarmProps).alarms["lambda-errors"]!.evaluationPeriods = 3;
    });
    const errors = Object.values(resources.aws_cloudwatch_metric_alarm ?? {}).find((a) => a.alarm_name === "app-lambda-errors");
    expect(errors?.evaluation_periods).toBe(3);
  });
});

describe("MonthlyBudget", () => {
  test("a monthly cost budget mailing at 80% and 100% of actual spend and 100% of the forecast", () => {
    const { only } = synthConstruct((scope) => new MonthlyBudget(scope, "budget", { name: "app", limitUsd: 10, email: "ops@example.com" }));
    const budget = only("aws_budgets_budget");
    expect(budget).toMatchObject({ budget_type: "COST", time_unit: "MONTHLY", limit_amount: "10.00", limit_unit: "USD" });
    expect(
      budget.notification.map((n: { notification_type: string; threshold: number }) => `${n.notification_type} ${n.threshold}`),
    ).toEqual(["ACTUAL 80", "ACTUAL 100", "FORECASTED 100"]);
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new MonthlyBudget(scope, "budget", { name: "app", limitUsd: 10, email: "ops@example.com" }).budget.timeUnit = "QUARTERLY";
    });
    expect(only("aws_budgets_budget").time_unit).toBe("QUARTERLY");
  });
});
