/**
 * With budget keys set, the registry stack creates an AWS Budget. IAM users and roles reach
 * Budgets only once the root user has activated "IAM user and role access to Billing information"
 * (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/control-access-billing.html), and
 * with budgets:ViewBudget / budgets:ModifyBudget allowed
 * (https://docs.aws.amazon.com/cost-management/latest/userguide/billing-example-policies.html).
 * Without them the apply fails at the budget with AccessDenied; this check asks first.
 */
import { BudgetsClient, DescribeBudgetsCommand } from "@aws-sdk/client-budgets";
import type { AppConfig } from "../../stacks/config.js";
import { isNamed, using } from "./aws.js";
import { describeError, StepProblem, type StepRunner } from "./steps.js";

/** What to do when the caller cannot use Budgets: the same words for the check and for a failed apply. */
export const BUDGET_ACCESS_REMEDY =
  'either let this identity use AWS Budgets (sign in as the root user, Account > "IAM user and role access to Billing ' +
  'information" > Activate, then allow budgets:ViewBudget and budgets:ModifyBudget), or remove budget_monthly_usd and ' +
  "budget_email from the config to deploy without a budget; then re-run npm run deploy";

/** Budgets is a global service answered in us-east-1. */
const BUDGETS_REGION = "us-east-1";

/** Whether the caller may read the account's budgets (false on AccessDenied). */
export async function canUseBudgets(account: string): Promise<boolean> {
  return using(new BudgetsClient({ region: BUDGETS_REGION }), async (budgets) => {
    try {
      await budgets.send(new DescribeBudgetsCommand({ AccountId: account, MaxResults: 1 }));
      return true;
    } catch (err) {
      if (isNamed(err, "AccessDeniedException", "AccessDenied")) return false;
      throw err;
    }
  });
}

/** The deploy step, only when the config asks for a budget. */
export async function checkBudgetAccess(runner: StepRunner, config: AppConfig, account: string): Promise<void> {
  if (config.budget_monthly_usd === undefined) return;
  await runner.act({
    title: "check access to AWS Budgets (budget_monthly_usd is set)",
    action: `AWS Budgets DescribeBudgets (account ${account}, MaxResults 1)`,
    hint: BUDGET_ACCESS_REMEDY,
    dryRunValue: true,
    run: async () => {
      let allowed: boolean;
      try {
        allowed = await canUseBudgets(account);
      } catch (err) {
        throw new StepProblem(`AWS Budgets did not answer: ${describeError(err)}`, "check the network and credentials, then re-run");
      }
      if (!allowed) {
        throw new StepProblem(
          "this identity may not use AWS Budgets (AccessDenied): IAM access to billing is off for the account, or its policy lacks budgets:* actions. Nothing was changed.",
        );
      }
      return true;
    },
    summary: () => "allowed",
  });
}
