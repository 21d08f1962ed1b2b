/**
 * A monthly AWS Budget on the account's whole cost, e-mailing before and when the limit is hit.
 * It caps nothing by itself (AWS Budgets only alerts); it makes a runaway bill visible in days,
 * not at the end of the month. The first two budgets of an account are free.
 */
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

export interface MonthlyBudgetProps {
  /** Budget name, unique in the account (e.g. the project and stage). */
  readonly name: string;
  /** Monthly limit in US dollars; alerts fire at 80% and 100% of it. Must be > 0. */
  readonly limitUsd: number;
  /** Who gets the alerts. AWS sends no confirmation mail for budget subscribers. */
  readonly email: string;
  /**
   * An SNS topic that also gets the "actual cost over 100%" alert (the spend stop listens on it).
   * Its policy must admit budgets.amazonaws.com; pass the policy as `dependsOn`.
   * @default e-mail only
   */
  readonly actualOverLimitTopicArn?: string;
  /** Created before the budget (the topic policy Budgets needs to publish). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Tags on the budget.
   * @default {} (the provider's default_tags still apply)
   */
  readonly tags?: Record<string, string>;
}

/** Thresholds in percent of the limit: warn early on actual spend, and on the month's forecast. */
const ALERTS = [
  { notificationType: "ACTUAL", threshold: 80 },
  { notificationType: "ACTUAL", threshold: 100 },
  { notificationType: "FORECASTED", threshold: 100 },
] as const;

export class MonthlyBudget extends Construct {
  /** The aws_budgets_budget resource. */
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: MonthlyBudgetProps) {
    super(scope, id);
    if (!props.name) throw new Error("MonthlyBudget: name must not be empty");
    if (!Number.isFinite(props.limitUsd) || props.limitUsd <= 0) {
      throw new Error(`MonthlyBudget: limitUsd must be a positive number of dollars, got ${props.limitUsd}`);
    }
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.email)) {
      throw new Error(`MonthlyBudget: email must be an e-mail address, got ${JSON.stringify(props.email)}`);
    }

    this.budget = new BudgetsBudget(this, "budget", {
      name: props.name,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      // The API takes the amount as a decimal string; two decimals keep cents exact.
      limitAmount: props.limitUsd.toFixed(2),
      limitUnit: "USD",
      notification: ALERTS.map((a) => ({
        comparisonOperator: "GREATER_THAN",
        notificationType: a.notificationType,
        threshold: a.threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: [props.email],
        subscriberSnsTopicArns:
          props.actualOverLimitTopicArn && a.notificationType === "ACTUAL" && a.threshold === 100
            ? [props.actualOverLimitTopicArn]
            : undefined,
      })),
      tags: props.tags,
      dependsOn: props.dependsOn,
    });
  }
}
