/** CloudWatch Logs (by retention), ECR storage (by lifecycle policy), KMS keys, alarms and their topics. */

import { isExpression, many, type TfBlock } from "../lib/tf-model.js";
import type { PricingContext } from "./context.js";
import { label } from "./ledger.js";
import { apiFunctions } from "./price-compute.js";
import { numberAttr } from "./stacks.js";
import { FIXED_ASSUMPTIONS } from "./traffic.js";

const DAYS_PER_MONTH = 365.25 / 12;

/** Log groups written per API request: the function's own group and the API's access log. */
function requestLogGroups(ctx: PricingContext, groups: TfBlock[]): TfBlock[] {
  const functions = apiFunctions(ctx);
  const stages = ctx.ofType("aws_apigatewayv2_stage");
  return groups.filter((g) => {
    const name = g.body.name;
    const dependsOn = (b: TfBlock) => Array.isArray(b.body.depends_on) && b.body.depends_on.includes(g.address);
    const namesFunction = (f: TfBlock) =>
      ctx.references(g, f) ||
      (typeof name === "string" && typeof f.body.function_name === "string" && name === `/aws/lambda/${f.body.function_name}`);
    return (
      functions.some((f) => ctx.references(f, g) || dependsOn(f) || namesFunction(f)) ||
      stages.some((s) => many(s.body.access_log_settings).some((a) => ctx.referenced(s, a, "aws_cloudwatch_log_group").includes(g)))
    );
  });
}

export function priceLogs(ctx: PricingContext): void {
  const { ledger, traffic } = ctx;
  const groups = ctx.ofType("aws_cloudwatch_log_group");
  const written = requestLogGroups(ctx, groups);
  const ingestGb = (traffic.requests * traffic.logKb) / 1e6;
  if (apiFunctions(ctx).length > 0 && written.length === 0) {
    ledger.warn("no log group is declared for the API's function: Lambda creates one that never expires (its storage is not priced)");
  }
  if (written.length > 0 || apiFunctions(ctx).length > 0) {
    ledger.charge({
      service: "CloudWatch Logs",
      item: `ingest (${traffic.logKb} KB/request)`,
      blocks: written,
      quantity: ingestGb,
      price: "logsIngest",
      note: "CloudWatch's free 5 GB is not applied (shared with everything else in the account)",
    });
  }
  for (const g of groups) {
    if (!written.includes(g)) {
      ledger.markUnpriced(g, "not written per API request (e.g. VPC flow logs): ingest $0.50/GB depends on its source");
      continue;
    }
    const retention = numberAttr(g.body, "retention_in_days");
    let months: number;
    let kept: string;
    if (retention === undefined || retention === 0) {
      months = FIXED_ASSUMPTIONS.neverExpireMonths;
      kept = `never expires: ${months} months kept`;
      ledger.warn(`${label(g)}: no retention, so its storage grows every month (priced after ${months} months)`);
    } else if (typeof retention === "number") {
      months = retention / DAYS_PER_MONTH;
      kept = `${retention}-day retention`;
    } else {
      months = FIXED_ASSUMPTIONS.neverExpireMonths;
      kept = `retention ${retention.expression}: ${months} months assumed`;
      ledger.warn(`${label(g)}: retention_in_days is ${retention.expression}; storage priced as ${months} months of logs`);
    }
    // Steady state: the archive holds `months` of this group's share of ingest, gzip-compressed.
    const storedGb = (ingestGb / written.length) * months * FIXED_ASSUMPTIONS.logCompression;
    ledger.charge({ service: "CloudWatch Logs", item: `archive (${kept})`, blocks: [g], quantity: storedGb, price: "logsStorage" });
  }
}

/** Images the repository's lifecycle policy keeps, or undefined when nothing caps it. */
function imagesKept(ctx: PricingContext, repo: TfBlock): number | undefined {
  let kept: number | undefined;
  for (const p of ctx.ofType("aws_ecr_lifecycle_policy")) {
    const targets = ctx.references(p, repo) || (typeof repo.body.name === "string" && p.body.repository === repo.body.name);
    if (!targets || typeof p.body.policy !== "string" || isExpression(p.body.policy)) continue;
    try {
      const rules =
        (JSON.parse(p.body.policy) as { rules?: { selection?: { tagStatus?: string; countType?: string; countNumber?: number } }[] })
          .rules ?? [];
      const counts = rules.filter((r) => r.selection?.countType === "imageCountMoreThan" && typeof r.selection.countNumber === "number");
      // A tagStatus "any" count caps the whole repository. A narrower rule before it (e.g. the one
      // keeping deployed- images, with a count no repository reaches) only shields images inside
      // that cap from it; the deploy keeps one or two such images, so the cap is what is stored.
      const whole = counts.filter((r) => r.selection!.tagStatus === "any");
      for (const r of whole.length ? whole : counts) kept = Math.max(kept ?? 0, r.selection!.countNumber!);
    } catch {
      ctx.ledger.warn(`${label(p)}: policy is not JSON; the repository is priced as uncapped`);
    }
  }
  return kept;
}

export function priceEcr(ctx: PricingContext): void {
  const { ledger } = ctx;
  for (const repo of ctx.ofType("aws_ecr_repository")) {
    const kept = imagesKept(ctx, repo);
    const gb = kept === undefined ? FIXED_ASSUMPTIONS.uncappedEcrGb : kept * FIXED_ASSUMPTIONS.imageGb;
    ledger.charge({
      service: "ECR",
      item:
        kept === undefined ? `storage (no count cap: ${gb} GB assumed)` : `storage (${kept} images kept x ${FIXED_ASSUMPTIONS.imageGb} GB)`,
      blocks: [repo],
      quantity: gb,
      price: "ecrStorage",
      note: "pulls by Lambda in the same region are free",
    });
    if (kept === undefined) ledger.warn(`${label(repo)}: no lifecycle policy caps the image count, so storage grows with every push`);
  }
  for (const p of ctx.ofType("aws_ecr_lifecycle_policy")) ledger.markFree(p);
}

export function priceKms(ctx: PricingContext): void {
  for (const key of ctx.ofType("aws_kms_key")) {
    ctx.ledger.charge({
      service: "KMS",
      item: "customer managed key",
      blocks: [key],
      quantity: 1,
      price: "kmsKey",
      note: "+ $0.03 per 10k requests (not modelled)",
    });
  }
}

/** Metrics an alarm is billed for: one, or each metric its metric-math expression reads. */
function alarmMetricCount(alarm: TfBlock): number {
  const queries = many(alarm.body.metric_query);
  return queries.length ? Math.max(1, queries.filter((q) => q.metric !== undefined).length) : 1;
}

export function priceAlarms(ctx: PricingContext): void {
  const { ledger } = ctx;
  const alarms = ctx.ofType("aws_cloudwatch_metric_alarm");
  if (alarms.length) {
    const highResolution = alarms.filter((a) => typeof a.body.period === "number" && a.body.period < 60);
    for (const a of highResolution) ledger.warn(`${label(a)}: a high-resolution alarm costs $0.30 per metric-month; priced as standard`);
    const metrics = alarms.reduce((n, a) => n + alarmMetricCount(a), 0);
    ledger.charge({
      service: "CloudWatch",
      item: `alarms (${alarms.length} standard, ${metrics} alarm metrics)`,
      blocks: alarms,
      quantity: metrics,
      price: "cloudwatchAlarmMetric",
      free: "alarmMetrics",
      note: "the 10 free alarm metrics are the account's: other alarms in it use them too",
    });
  }
  const topics = ctx.ofType("aws_sns_topic").filter((t) => !ledger.isAccounted(t)); // the spend stop's is priced already
  if (topics.length) {
    const emails = topics.length * FIXED_ASSUMPTIONS.alarmEmails;
    ledger.charge({
      service: "SNS",
      item: `alarm e-mails (${topics.length} topic${topics.length > 1 ? "s" : ""}, ${FIXED_ASSUMPTIONS.alarmEmails} e-mails each assumed)`,
      blocks: topics,
      quantity: emails,
      price: "snsEmail",
      free: "snsEmails",
      note: "topics cost nothing; the first 1M publishes a month are free",
    });
  }
  for (const b of [...ctx.ofType("aws_sns_topic_subscription"), ...ctx.ofType("aws_sns_topic_policy")])
    ledger.markFree(b, "billed on the topic's e-mail line");
}
