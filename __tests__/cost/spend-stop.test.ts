import { describe, expect, it } from "vitest";
import { lines, priceConfig } from "./support.js";

const BUDGET = { budget_monthly_usd: 20, budget_email: "ops@example.com" };

describe("the spend stop in the bill", () => {
  it("without spend_stop there is no spend-stop line", () => {
    const e = priceConfig(BUDGET);
    expect(e.lines.filter((l) => l.item.includes("spend stop"))).toEqual([]);
  });

  it("counts its function's runs and log, $0 inside the free tiers; its topic, subscription and policy are free; nothing unpriced", () => {
    const e = priceConfig({ ...BUDGET, spend_stop: true, alarm_email: "alarms@example.com" });
    const [runs, ...moreRuns] = lines(e, "Lambda", "spend stop");
    expect(moreRuns).toEqual([]);
    expect(runs).toMatchObject({ item: "spend stop (3 runs a month assumed)", quantity: 3, usd: 0, freeApplied: 3 });
    expect(runs!.resources).toEqual([expect.stringMatching(/^app: aws_lambda_function\.spend_stop_function_/)]);
    const [log] = lines(e, "CloudWatch Logs", "spend stop's log");
    expect(log!.resources).toEqual([expect.stringMatching(/^app: aws_cloudwatch_log_group\.spend_stop_function_log_group_/)]);
    expect(log!.usd).toBeLessThan(0.00001);
    const free = (type: string) => e.free.filter((f) => f.type === type && /spend.stop|SNS deliveries/i.test(`${f.resource} ${f.reason}`));
    expect(free("aws_sns_topic").map((f) => f.resource)).toEqual([expect.stringMatching(/^registry: aws_sns_topic\.spend_stop_topic_/)]);
    expect(free("aws_sns_topic_subscription")).toHaveLength(1);
    // the alarm e-mail line counts only the topic that mails (one, in us-east-1), not the spend stop's
    const [sns] = lines(e, "SNS", "alarm e-mails");
    expect(sns!.resources).toEqual([expect.stringMatching(/^app: aws_sns_topic\.alarm_topic_/)]);
    // the spend stop's error alarm is one more alarm (and alarm metric) than the eight of docs/operations.md
    expect(lines(e, "CloudWatch", "alarms")[0]!.item).toBe("alarms (9 standard, 13 alarm metrics)");
    expect(e.unpriced).toEqual([]);
  });
});
