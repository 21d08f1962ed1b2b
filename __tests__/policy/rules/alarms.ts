/**
 * Alarms and their SNS topics (`alarm_email`): every service has an alarm that reaches an e-mail
 * subscription through a topic of the alarm's own region; only CloudWatch (and Budgets) of this
 * account publish; an encrypted topic is encrypted with a key CloudWatch may use.
 */
import { type BaselineRule, each, type Finding, finding, type PolicyContext, type ToggleRule } from "../support/rule.js";
import { type Block, one, policyStatements, refsIn } from "../support/tf-json.js";

const alarms = (ctx: PolicyContext) => ctx.model.resources("aws_cloudwatch_metric_alarm");
const topics = (ctx: PolicyContext) => ctx.model.resources("aws_sns_topic");

/** The topics a block's argument references. */
function topicsIn(ctx: PolicyContext, from: Block, value: unknown): Block[] {
  return refsIn(value)
    .filter((r) => r.type === "aws_sns_topic")
    .map((r) => ctx.model.resolve(from, r))
    .filter((b): b is Block => !!b);
}

/** Whether a topic has a confirmed-by-mail e-mail subscription. */
const mailsSomeone = (ctx: PolicyContext, topic: Block) =>
  ctx.model.referrers(topic, "aws_sns_topic_subscription", "topic_arn").some((s) => s.body.protocol === "email" && !!s.body.endpoint);

/** The region of the AWS provider a block is created with (its alias's, else the stack default's). */
function regionOf(ctx: PolicyContext, b: Block): string {
  const alias = typeof b.body.provider === "string" ? b.body.provider.replace(/^aws\./, "") : undefined;
  const providers = ([] as Block["body"][]).concat(ctx.model.stacks[b.stack]?.provider?.aws ?? []);
  const provider = providers.find((p) => (alias ? p.alias === alias : p.alias === undefined));
  return String(provider?.region ?? `unknown provider ${b.body.provider}`);
}

/** Whether an alarm watches `target` (a dimension or a metric-math metric refers to it). */
function watches(alarm: Block, target: Block): boolean {
  const watched = [alarm.body.dimensions, ...[alarm.body.metric_query ?? []].flat().map((q: Block["body"]) => one(q?.metric)?.dimensions)];
  return refsIn(watched).some((r) => r.type === target.type && r.name === target.name);
}

export const alarmToggleRules: ToggleRule[] = [
  {
    kind: "toggle",
    id: "OPS-1",
    title:
      "The function, the API, the table and the distribution each have an alarm that e-mails (notifies a topic with an e-mail subscription)",
    toggle: "alarm_email",
    enabled: (c) => c.alarm_email !== undefined,
    subjects: (ctx) =>
      ["aws_lambda_function", "aws_apigatewayv2_api", "aws_dynamodb_table", "aws_cloudfront_distribution"].flatMap((t) =>
        ctx.model.resources(t),
      ),
    check: (ctx) =>
      each(
        ["aws_lambda_function", "aws_apigatewayv2_api", "aws_dynamodb_table", "aws_cloudfront_distribution"].flatMap((t) =>
          ctx.model.resources(t),
        ),
        (subject) => {
          const watching = alarms(ctx).filter((a) => a.stack === subject.stack && watches(a, subject));
          if (watching.length === 0) return "no alarm watches it";
          const silent = watching.filter((a) => !topicsIn(ctx, a, a.body.alarm_actions).some((t) => mailsSomeone(ctx, t)));
          return silent.length === 0 || `${silent.map((a) => a.address).join(", ")} notify no topic with an e-mail subscription`;
        },
      ),
  },
  {
    kind: "toggle",
    id: "CKV_AWS_26",
    title: "SNS topics are encrypted with the customer managed key (Trivy AWS-0095, AWS-0136)",
    toggle: "kms_customer_key + alarm_email",
    enabled: (c) => c.kms_customer_key && c.alarm_email !== undefined,
    subjects: topics,
    check: (ctx) =>
      each(
        topics(ctx),
        (t) => refsIn(t.body.kms_master_key_id).some((r) => r.type === "aws_kms_key") || "not encrypted with the customer key",
      ),
  },
];

export const alarmRules: BaselineRule[] = [
  {
    kind: "baseline",
    id: "OPS-2",
    title: "Alarms treat missing data as not breaching and notify (ALARM and OK) a topic of their own region",
    check: (ctx) =>
      each(alarms(ctx), (a) => {
        if (a.body.treat_missing_data !== "notBreaching") return `treat_missing_data is ${JSON.stringify(a.body.treat_missing_data)}`;
        for (const key of ["alarm_actions", "ok_actions"]) {
          const targets = topicsIn(ctx, a, a.body[key]);
          if (targets.length === 0) return `${key} names no topic of the stack`;
          const elsewhere = targets.filter((t) => regionOf(ctx, t) !== regionOf(ctx, a));
          if (elsewhere.length)
            return `${key}: ${elsewhere.map((t) => t.address).join(", ")} is in ${regionOf(ctx, elsewhere[0]!)}, the alarm in ${regionOf(ctx, a)}`;
        }
        return true;
      }),
  },
  {
    kind: "baseline",
    id: "OPS-3",
    title: "Only CloudWatch alarms and Budgets of this account may publish to SNS topics (aws:SourceAccount and aws:SourceArn)",
    check: (ctx) => {
      const out: Finding[] = [];
      for (const t of topics(ctx)) {
        const policies = ctx.model.referrers(t, "aws_sns_topic_policy", "arn");
        if (policies.length !== 1) {
          out.push(
            finding(t, `${policies.length} aws_sns_topic_policy (SNS's default policy lets every principal of the account publish)`),
          );
          continue;
        }
        for (const s of policyStatements(ctx.model, policies[0]!, policies[0]!.body.policy)) {
          if (s.effect !== "Allow") continue;
          const services = s.principals?.Service ?? [];
          const others = Object.keys(s.principals ?? { "*": [] }).filter((k) => k !== "Service");
          const bad = others.length > 0 || services.some((p) => !["cloudwatch.amazonaws.com", "budgets.amazonaws.com"].includes(p));
          const scoped = !!s.conditions.StringEquals?.["aws:SourceAccount"] && !!s.conditions.ArnLike?.["aws:SourceArn"];
          if (bad || !scoped || s.actions.some((a) => a !== "sns:Publish")) {
            out.push(
              finding(
                policies[0]!,
                `${s.sid ?? "statement"}: allows ${JSON.stringify(s.principals)} ${s.actions.join(",")}${scoped ? "" : " without aws:SourceAccount + aws:SourceArn"}`,
              ),
            );
          }
        }
      }
      return out;
    },
  },
  {
    kind: "baseline",
    id: "OPS-4",
    title: "An encrypted alarm topic uses a key CloudWatch may use (never alias/aws/sns, whose policy CloudWatch is not in)",
    check: (ctx) =>
      each(
        topics(ctx).filter((t) => t.body.kms_master_key_id !== undefined),
        (t) => {
          if (String(t.body.kms_master_key_id).includes("alias/aws/sns"))
            return "encrypted with the AWS managed key: CloudWatch cannot publish";
          const keyRef = refsIn(t.body.kms_master_key_id).find((r) => r.type === "aws_kms_key");
          const key = keyRef && ctx.model.resolve(t, keyRef);
          if (!key) return "encrypted with a key this stack does not declare (its policy cannot be checked)";
          const allows = policyStatements(ctx.model, key, key.body.policy).some(
            (s) =>
              s.effect === "Allow" &&
              (s.principals?.Service ?? []).includes("cloudwatch.amazonaws.com") &&
              s.actions.includes("kms:GenerateDataKey*") &&
              s.actions.includes("kms:Decrypt"),
          );
          return allows || `${key.address}'s policy does not let cloudwatch.amazonaws.com use it`;
        },
      ),
  },
];
