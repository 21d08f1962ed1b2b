/**
 * The spend stop (`spend_stop`): a topic the budget's over-the-limit alert publishes to, and a
 * function subscribed to it. It runs when the budget alerts (FIXED_ASSUMPTIONS.spendStopRuns a
 * month is generous: the alert fires once per budget period), so everything is inside the free
 * allowances; the lines are written so the bill shows what the key adds. Runs before the other
 * pricers, which would otherwise take its function for an idle one and its log group for an
 * unknown source.
 * SNS: deliveries to Lambda are free, the first 1M publishes a month too
 * (https://aws.amazon.com/sns/pricing/).
 */
import { many, type TfBlock } from "../lib/tf-model.js";
import type { PricingContext } from "./context.js";
import { FIXED_ASSUMPTIONS } from "./traffic.js";

/** Topics a budget notification publishes to. */
function budgetTopics(ctx: PricingContext): TfBlock[] {
  return ctx
    .ofType("aws_budgets_budget")
    .flatMap((b) => many(b.body.notification).flatMap((n) => ctx.referenced(b, n.subscriber_sns_topic_arns, "aws_sns_topic")));
}

export function priceSpendStop(ctx: PricingContext): void {
  const { ledger } = ctx;
  const topics = budgetTopics(ctx);
  // The function's subscription names the topic across stacks (remote state), so it is found by protocol.
  const subscriptions = ctx.ofType("aws_sns_topic_subscription").filter((s) => s.body.protocol === "lambda");
  const functions = subscriptions.flatMap((s) => ctx.referenced(s, s.body.endpoint, "aws_lambda_function"));
  if (topics.length === 0 && functions.length === 0) return;
  const runs = FIXED_ASSUMPTIONS.spendStopRuns;
  for (const t of topics) ledger.markFree(t, "spend stop: the budget publishes a few alerts a month (first 1M publishes free)");
  for (const b of [...subscriptions, ...ctx.ofType("aws_sns_topic_policy").filter((p) => topics.some((t) => ctx.references(p, t)))]) {
    ledger.markFree(b, "spend stop: SNS deliveries to Lambda are free");
  }
  if (functions.length === 0) return;
  ledger.charge({
    service: "Lambda",
    item: `spend stop (${runs} runs a month assumed)`,
    blocks: functions,
    quantity: runs * functions.length,
    price: "lambdaRequests",
    free: "lambdaRequests",
    note: "runs only when the budget's actual cost passes its limit; 128 MB for about a second",
  });
  const groups = ctx
    .ofType("aws_cloudwatch_log_group")
    .filter((g) => functions.some((f) => g.body.name === `/aws/lambda/${f.body.function_name}` || ctx.references(f, g)));
  if (groups.length) {
    ledger.charge({
      service: "CloudWatch Logs",
      item: `spend stop's log (${runs} runs, about 2 KB each)`,
      blocks: groups,
      quantity: (runs * functions.length * 2) / 1e6,
      price: "logsIngest",
    });
  }
  for (const p of ctx.ofType("aws_lambda_permission").filter((p) => p.body.principal === "sns.amazonaws.com")) {
    ledger.markFree(p, "resource policy");
  }
}
