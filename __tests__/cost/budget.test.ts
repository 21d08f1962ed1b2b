import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { MonthlyBudget } from "../../modules/budget.js";
import { synthConfig } from "./support.js";

type Json = { resource?: Record<string, Record<string, Record<string, unknown>>> };

const budgetsIn = (json: Json) => Object.values(json.resource?.aws_budgets_budget ?? {});

function synthBudget(props: ConstructorParameters<typeof MonthlyBudget>[2]) {
  return budgetsIn(JSON.parse(Testing.synthScope((scope) => new MonthlyBudget(scope, "budget", props))) as Json);
}

describe("MonthlyBudget", () => {
  it("creates a monthly COST budget in USD that e-mails at 80% and 100% of actual spend and 100% of forecast", () => {
    const [budget, ...more] = synthBudget({ name: "shop-prod", limitUsd: 25, email: "ops@example.com", tags: { Team: "web" } });
    expect(more).toEqual([]);
    expect(budget).toMatchObject({
      name: "shop-prod",
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: "25.00",
      limit_unit: "USD",
      tags: { Team: "web" },
    });
    const alerts = (budget!.notification as Record<string, unknown>[]).map((n) => ({ ...n }));
    expect(alerts).toEqual(
      [
        ["ACTUAL", 80],
        ["ACTUAL", 100],
        ["FORECASTED", 100],
      ].map(([notification_type, threshold]) => ({
        comparison_operator: "GREATER_THAN",
        notification_type,
        threshold,
        threshold_type: "PERCENTAGE",
        subscriber_email_addresses: ["ops@example.com"],
      })),
    );
  });

  it("keeps cents exact in the limit", () => {
    expect(synthBudget({ name: "b", limitUsd: 12.5, email: "a@b.co" })[0]!.limit_amount).toBe("12.50");
  });

  it.each([
    [{ name: "b", limitUsd: 0, email: "a@b.co" }, /limitUsd must be a positive number/],
    [{ name: "b", limitUsd: Number.NaN, email: "a@b.co" }, /limitUsd must be a positive number/],
    [{ name: "b", limitUsd: 10, email: "not-an-email" }, /email must be an e-mail address/],
    [{ name: "", limitUsd: 10, email: "a@b.co" }, /name must not be empty/],
  ])("refuses bad props %j, naming the prop", (props, message) => {
    expect(() => synthBudget(props)).toThrow(message);
  });
});

describe("the registry stack's budget", () => {
  const registry = (raw: Record<string, unknown>) =>
    JSON.parse(readFileSync(join(synthConfig(raw), "stacks", "registry", "cdk.tf.json"), "utf8")) as Json;

  it("exists with its three alerts when budget_monthly_usd and budget_email are configured", () => {
    const [budget, ...more] = budgetsIn(registry({ budget_monthly_usd: 20, budget_email: "ops@example.com" }));
    expect(more).toEqual([]);
    expect(budget).toMatchObject({ budget_type: "COST", time_unit: "MONTHLY", limit_amount: "20.00" });
    expect(
      (budget!.notification as { notification_type: string; threshold: number }[]).map((n) => `${n.notification_type} ${n.threshold}`),
    ).toEqual(["ACTUAL 80", "ACTUAL 100", "FORECASTED 100"]);
  });

  it("does not exist without a budget configured", () => {
    expect(budgetsIn(registry({}))).toEqual([]);
  });
});
