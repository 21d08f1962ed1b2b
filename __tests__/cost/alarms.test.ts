import { describe, expect, it } from "vitest";
import { lines, priceConfig } from "./support.js";

describe("alarms and their topics in the bill", () => {
  it("without alarm_email there is no alarm or SNS line", () => {
    const e = priceConfig({});
    expect(lines(e, "CloudWatch", "alarms")).toEqual([]);
    expect(lines(e, "SNS", "")).toEqual([]);
  });

  it("outside us-east-1: 8 alarms read 12 metrics (two DynamoDB alarms sum 3 operations each); 2 over the free 10 = $0.20", () => {
    const e = priceConfig({ alarm_email: "a@example.com", aws_region: "eu-west-1" });
    const [alarms, ...more] = lines(e, "CloudWatch", "alarms");
    expect(more).toEqual([]);
    expect(alarms!.item).toBe("alarms (8 standard, 12 alarm metrics)");
    expect(alarms!.resources).toHaveLength(8);
    expect(alarms!.quantity).toBe(12);
    expect(alarms!.freeApplied).toBe(10);
    expect(alarms!.usd).toBeCloseTo((12 - 10) * 0.1, 10);
    const [sns] = lines(e, "SNS", "alarm e-mails");
    // one topic here and one in us-east-1 (CloudFront's alarm), 40 e-mails each: inside the free 1,000
    expect(sns!.resources).toHaveLength(2);
    expect(sns!.quantity).toBe(80);
    expect(sns!.usd).toBe(0);
    expect(
      e.free
        .filter((f) => f.type.startsWith("aws_sns_topic_"))
        .map((f) => f.type)
        .sort(),
    ).toEqual(["aws_sns_topic_policy", "aws_sns_topic_policy", "aws_sns_topic_subscription", "aws_sns_topic_subscription"]);
    expect(e.unpriced).toEqual([]);
  });
});
