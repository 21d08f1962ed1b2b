/** DynamoDB, ECR and CloudWatch Logs rules (docs/security.md; project checks GAP-2 and GAP-8). */
import { each, type PolicyContext, type Rule } from "../support/rule.js";
import { one, policyStatements } from "../support/tf-json.js";

const tables = (ctx: PolicyContext) => ctx.model.resources("aws_dynamodb_table");
const repositories = (ctx: PolicyContext) => ctx.model.resources("aws_ecr_repository");

interface LifecycleRule {
  rulePriority: number;
  selection: { tagStatus: string; countType: string; countNumber: number };
  action: { type: string };
}

export const dataStoreRules: Rule[] = [
  {
    kind: "baseline",
    id: "CKV_AWS_28",
    title: "DynamoDB tables have point-in-time recovery",
    check: (ctx) => each(tables(ctx), (t) => one(t.body.point_in_time_recovery)?.enabled === true || "point_in_time_recovery not enabled"),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_16",
    title: "DynamoDB tables scale on demand (PAY_PER_REQUEST)",
    check: (ctx) => each(tables(ctx), (t) => t.body.billing_mode === "PAY_PER_REQUEST" || `billing_mode ${t.body.billing_mode}`),
  },
  {
    kind: "baseline",
    id: "GAP-2",
    title: "DynamoDB tables have deletion protection (follows table_deletion_protection, on by default)",
    check: (ctx) =>
      each(
        tables(ctx),
        (t) =>
          t.body.deletion_protection_enabled === ctx.config.table_deletion_protection ||
          `deletion_protection_enabled ${t.body.deletion_protection_enabled}`,
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_51",
    title: "ECR tags are immutable",
    check: (ctx) =>
      each(repositories(ctx), (r) => r.body.image_tag_mutability === "IMMUTABLE" || `image_tag_mutability ${r.body.image_tag_mutability}`),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_163",
    title: "ECR scans images on push",
    check: (ctx) =>
      each(repositories(ctx), (r) => one(r.body.image_scanning_configuration)?.scan_on_push === true || "scan_on_push not set"),
  },
  {
    kind: "baseline",
    id: "AWS-0032",
    title: "ECR repositories have no public repository policy",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_ecr_repository_policy"),
        (p) =>
          !policyStatements(ctx.model, p, p.body.policy).some(
            (s) => s.effect === "Allow" && (s.principals?.["*"] || s.principals?.AWS?.includes("*")),
          ) || "Allow to Principal *",
      ),
  },
  {
    kind: "baseline",
    id: "GAP-8",
    title: "The ECR lifecycle policy keeps the newest images by count and never expires tagged images by age",
    check: (ctx) =>
      each(repositories(ctx), (repo) => {
        const policies = ctx.model.referrers(repo, "aws_ecr_lifecycle_policy", "repository");
        if (policies.length === 0) return "no aws_ecr_lifecycle_policy";
        const rules = policies.flatMap((p) => (JSON.parse(p.body.policy) as { rules: LifecycleRule[] }).rules);
        const byAge = rules.filter(
          (r) => r.selection.tagStatus !== "untagged" && r.selection.countType === "sinceImagePushed" && r.action.type === "expire",
        );
        if (byAge.length) return "tagged images expire by age: the running image can disappear";
        const keep = rules.some((r) => r.selection.countType === "imageCountMoreThan" && r.selection.countNumber >= 1);
        return keep || "no imageCountMoreThan rule keeping the newest images";
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_66",
    title: "CloudWatch log groups have a retention (never 'never expire')",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_cloudwatch_log_group"),
        (g) => g.body.retention_in_days > 0 || `retention_in_days ${g.body.retention_in_days}`,
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_338",
    title: "CloudWatch log groups keep logs for at least a year",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_cloudwatch_log_group"),
        (g) => g.body.retention_in_days >= 365 || `retention_in_days ${g.body.retention_in_days}`,
      ),
  },
];
