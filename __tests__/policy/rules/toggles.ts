/**
 * The cost toggles of docs/security.md ("Cost toggles"): each is off unless its
 * config key switches it on, so a default deployment stays cheap.
 */
import type { PolicyContext, ToggleRule } from "../support/rule.js";
import { each } from "../support/rule.js";
import { type Block, many, one, refsIn } from "../support/tf-json.js";

const usesKmsKey = (value: unknown) => refsIn(value).some((r) => r.type === "aws_kms_key");
const buckets = (ctx: PolicyContext) => ctx.model.resources("aws_s3_bucket");
const connected = (ctx: PolicyContext, b: Block, type: string) => ctx.model.referrers(b, type, "bucket");

function toggle(rule: Omit<ToggleRule, "kind" | "check"> & { has: (ctx: PolicyContext, b: Block) => boolean | string }): ToggleRule {
  return {
    kind: "toggle",
    id: rule.id,
    title: rule.title,
    toggle: rule.toggle,
    enabled: rule.enabled,
    subjects: rule.subjects,
    check: (ctx) =>
      each(rule.subjects(ctx), (b) => {
        const r = rule.has(ctx, b);
        return r === true ? true : r === false ? "feature absent" : r;
      }),
  };
}

export const toggleRules: ToggleRule[] = [
  toggle({
    id: "CKV_AWS_145",
    title: "S3 buckets are encrypted with the customer managed KMS key (Trivy AWS-0132)",
    toggle: "kms_customer_key",
    enabled: (c) => c.kms_customer_key,
    subjects: buckets,
    has: (ctx, b) =>
      connected(ctx, b, "aws_s3_bucket_server_side_encryption_configuration").some((c) =>
        many(c.body.rule).some((r) => {
          const d = one(r.apply_server_side_encryption_by_default);
          return d?.sse_algorithm === "aws:kms" && usesKmsKey(d.kms_master_key_id);
        }),
      ),
  }),
  toggle({
    id: "CKV_AWS_18",
    title: "S3 buckets write server access logs",
    toggle: "access_logging",
    enabled: (c) => c.access_logging,
    subjects: buckets,
    has: (ctx, b) => connected(ctx, b, "aws_s3_bucket_logging").length > 0 || !!b.body.logging,
  }),
  toggle({
    id: "CKV_AWS_86",
    title: "CloudFront writes access logs",
    toggle: "access_logging",
    enabled: (c) => c.access_logging,
    subjects: (ctx) => ctx.model.resources("aws_cloudfront_distribution"),
    has: (_ctx, d) => !!one(d.body.logging_config)?.bucket,
  }),
  toggle({
    id: "CKV_AWS_68",
    title: "CloudFront is behind a WAF web ACL (Trivy AWS-0011)",
    toggle: "waf",
    enabled: (c) => c.waf,
    subjects: (ctx) => ctx.model.resources("aws_cloudfront_distribution"),
    has: (_ctx, d) => refsIn(d.body.web_acl_id).some((r) => r.type === "aws_wafv2_web_acl"),
  }),
  toggle({
    id: "CKV2_AWS_47",
    title: "CloudFront's WAF includes AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAnonymousIpList",
    toggle: "waf",
    enabled: (c) => c.waf,
    subjects: (ctx) => ctx.model.resources("aws_cloudfront_distribution"),
    has: (ctx, d) => {
      const ref = refsIn(d.body.web_acl_id).find((r) => r.type === "aws_wafv2_web_acl");
      const acl = ref && ctx.model.resolve(d, ref);
      if (!acl) return false;
      const groups = many(acl.body.rule).map((r) => one(one(r.statement)?.managed_rule_group_statement)?.name);
      const missing = ["AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAnonymousIpList"].filter((g) => !groups.includes(g));
      return missing.length === 0 || `${acl.address} lacks ${missing.join(", ")}`;
    },
  }),
  toggle({
    id: "CKV_AWS_173",
    title: "Lambda environment variables are encrypted with the customer managed key",
    toggle: "kms_customer_key",
    enabled: (c) => c.kms_customer_key,
    subjects: (ctx) => ctx.model.resources("aws_lambda_function").filter((f) => one(f.body.environment)),
    has: (_ctx, f) => usesKmsKey(f.body.kms_key_arn),
  }),
  toggle({
    id: "AWS-0066",
    title: "Lambda traces actively with X-Ray (checkov CKV_AWS_50 already passes with PassThrough)",
    toggle: "xray_tracing",
    enabled: (c) => c.xray_tracing,
    subjects: (ctx) => ctx.model.resources("aws_lambda_function"),
    has: (_ctx, f) => one(f.body.tracing_config)?.mode === "Active",
  }),
  toggle({
    id: "CKV_AWS_119",
    title: "DynamoDB tables are encrypted with the customer managed key (Trivy AWS-0025)",
    toggle: "kms_customer_key",
    enabled: (c) => c.kms_customer_key,
    subjects: (ctx) => ctx.model.resources("aws_dynamodb_table"),
    has: (_ctx, t) => one(t.body.server_side_encryption)?.enabled === true && usesKmsKey(one(t.body.server_side_encryption)?.kms_key_arn),
  }),
  toggle({
    id: "CKV_AWS_136",
    title: "ECR repositories are KMS-encrypted",
    toggle: "kms_customer_key",
    enabled: (c) => c.kms_customer_key,
    subjects: (ctx) => ctx.model.resources("aws_ecr_repository"),
    has: (_ctx, r) => many(r.body.encryption_configuration).some((e) => e.encryption_type === "KMS"),
  }),
  toggle({
    id: "AWS-0033",
    title: "ECR repositories are encrypted with a customer managed key",
    toggle: "kms_customer_key",
    enabled: (c) => c.kms_customer_key,
    subjects: (ctx) => ctx.model.resources("aws_ecr_repository"),
    has: (_ctx, r) => many(r.body.encryption_configuration).some((e) => e.encryption_type === "KMS" && !!e.kms_key),
  }),
  toggle({
    id: "CKV_AWS_158",
    title: "CloudWatch log groups are encrypted with the customer managed key (Trivy AWS-0017)",
    toggle: "kms_customer_key",
    enabled: (c) => c.kms_customer_key,
    subjects: (ctx) => ctx.model.resources("aws_cloudwatch_log_group"),
    has: (_ctx, g) => usesKmsKey(g.body.kms_key_id),
  }),
  toggle({
    id: "CKV2_AWS_11",
    title: "VPCs have flow logs (Trivy AWS-0178)",
    toggle: "vpc_flow_logs",
    enabled: (c) => c.vpc_flow_logs,
    subjects: (ctx) => ctx.model.resources("aws_vpc"),
    has: (ctx, vpc) => ctx.model.referrers(vpc, "aws_flow_log", "vpc_id").length > 0,
  }),
];
