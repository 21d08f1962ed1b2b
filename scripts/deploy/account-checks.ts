/**
 * What the account must allow before the deploy changes anything, each as its own step: Lambda's
 * quotas, Budgets access (with budget keys), the domain's public delegation (with a domain). Each
 * failure names the config key or account setting to change; nothing has been changed by then.
 * (CloudFront's account verification has no API to ask: it is recognised in terraform's output,
 * see terraform-errors.ts.)
 */
import type { AppConfig } from "../../stacks/config.js";
import { checkBudgetAccess } from "./budget-access.js";
import { checkDnsDelegation } from "./dns-delegation.js";
import { checkLambdaQuotas } from "./lambda-quotas.js";
import type { StepRunner } from "./steps.js";

export async function checkAccount(runner: StepRunner, config: AppConfig, account: string, env: NodeJS.ProcessEnv): Promise<void> {
  await checkLambdaQuotas(runner, config);
  await checkBudgetAccess(runner, config, account);
  if (config.domain) await checkDnsDelegation(runner, config.domain, account, env);
}
