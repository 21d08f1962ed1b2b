/**
 * The spend stop (`spend_stop`): the budget's "actual cost over 100%" alert reaches a topic only
 * Budgets may publish to, a function subscribed to it may update this stage and nothing else.
 * Follows the chain stage -> role policy -> function -> subscription -> topic (registry stack,
 * through the cross-stack output) -> topic policy and budget notification.
 */
import { each, type PolicyContext, type ToggleRule } from "../support/rule.js";
import { type Block, many, policyStatements, refsIn } from "../support/tf-json.js";

/** The registry-stack block a cross-stack reference (`...outputs.cross-stack-output-<...>`) stands for. */
function acrossStacks(ctx: PolicyContext, value: unknown): Block | undefined {
  const output = /\.outputs\.(cross-stack-output-[A-Za-z0-9_-]+)\}/.exec(String(value))?.[1];
  if (!output) return undefined;
  for (const [stack, json] of Object.entries(ctx.model.stacks)) {
    const target = json.output?.[output]?.value;
    const ref = target && refsIn(target)[0];
    if (ref) return ctx.model.resolve({ stack }, ref);
  }
  return undefined;
}

/** Why the stage has no working spend stop, or true. */
function spendStopOf(ctx: PolicyContext, stage: Block): true | string {
  const apiRef = refsIn(stage.body.api_id).find((r) => r.type === "aws_apigatewayv2_api");
  if (!apiRef) return "the stage names no API of the stack";
  const stagePath = new RegExp(
    `^arn:aws:apigateway:[a-z0-9-]+::/apis/\\$\\{aws_apigatewayv2_api\\.${apiRef.name}\\.id\\}/stages/${stage.body.name.replace(/\$/g, "\\$")}$`,
  );
  const grants = ctx.model
    .resources("aws_iam_role_policy")
    .filter((p) => p.stack === stage.stack)
    .map((p) => ({
      p,
      statements: policyStatements(ctx.model, p, p.body.policy).filter(
        (s) => s.effect === "Allow" && s.actions.some((a) => a.startsWith("apigateway:")),
      ),
    }))
    .filter((g) => g.statements.length > 0);
  if (grants.length === 0) return "no role may change its throttle (no apigateway:PATCH grant)";
  for (const { p, statements } of grants) {
    const wide = statements.flatMap((s) => s.resources).filter((r) => !stagePath.test(r));
    if (wide.length) return `${p.address} grants apigateway actions on ${wide.join(", ")}, beyond this stage`;
    if (!statements.some((s) => s.actions.includes("apigateway:PATCH"))) return `${p.address} cannot PATCH the stage`;
    const role = refsIn(p.body.role)
      .map((r) => ctx.model.resolve(p, r))
      .find((b) => b?.type === "aws_iam_role");
    const fn = role && ctx.model.referrers(role, "aws_lambda_function", "role")[0];
    if (!fn) return `${p.address}: no function runs with its role`;
    const subscription = ctx.model.referrers(fn, "aws_sns_topic_subscription", "endpoint").find((s) => s.body.protocol === "lambda");
    if (!subscription) return `${fn.address} is subscribed to no topic`;
    const topic =
      acrossStacks(ctx, subscription.body.topic_arn) ?? ctx.model.resolve(subscription, refsIn(subscription.body.topic_arn)[0]!);
    if (topic?.type !== "aws_sns_topic") return `${subscription.address}: its topic is not one of the app's stacks`;
    const policy = ctx.model.referrers(topic, "aws_sns_topic_policy", "arn")[0];
    const budgetsMayPublish =
      !!policy &&
      policyStatements(ctx.model, policy, policy.body.policy).some(
        (s) => s.effect === "Allow" && (s.principals?.Service ?? []).includes("budgets.amazonaws.com") && s.actions.includes("sns:Publish"),
      );
    if (!budgetsMayPublish) return `${topic.address}: its policy does not let budgets.amazonaws.com publish`;
    const alerts = ctx.model
      .referrers(topic, "aws_budgets_budget")
      .flatMap((b) => many(b.body.notification))
      .filter(
        (n) =>
          n.notification_type === "ACTUAL" &&
          n.comparison_operator === "GREATER_THAN" &&
          n.threshold === 100 &&
          refsIn(n.subscriber_sns_topic_arns).some((r) => r.type === "aws_sns_topic" && r.name === topic.name),
      );
    if (alerts.length === 0) return `no budget's ACTUAL > 100% alert publishes to ${topic.address}`;
    return true;
  }
  return "unreachable";
}

export const spendStopRules: ToggleRule[] = [
  {
    kind: "toggle",
    id: "SPEND-1",
    title:
      "The budget's actual-over-100% alert reaches (through a topic only Budgets may publish to) a function that may throttle this API stage and nothing else",
    toggle: "spend_stop",
    enabled: (c) => c.spend_stop,
    subjects: (ctx) => ctx.model.resources("aws_apigatewayv2_stage"),
    check: (ctx) => each(ctx.model.resources("aws_apigatewayv2_stage"), (stage) => spendStopOf(ctx, stage)),
  },
];
