/** S3 bucket rules (docs/security.md, "S3": the bucket and its v4+ sub-resources; project check GAP-1). */
import { each, type PolicyContext, type Rule } from "../support/rule.js";
import { type Block, isExpression, many, one, policyStatements, type Statement } from "../support/tf-json.js";

const buckets = (ctx: PolicyContext) => ctx.model.resources("aws_s3_bucket");
/** The sub-resource of `type` that configures `bucket` (v4+ split resources reference it). */
const connected = (ctx: PolicyContext, bucket: Block, type: string) => ctx.model.referrers(bucket, type, "bucket");

function bucketPolicies(ctx: PolicyContext, bucket: Block): Statement[] {
  return connected(ctx, bucket, "aws_s3_bucket_policy").flatMap((p) => policyStatements(ctx.model, p, p.body.policy));
}

const PUBLIC_READ_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const isPublicPrincipal = (s: Statement) => !!s.principals && (s.principals["*"]?.includes("*") || s.principals.AWS?.includes("*"));

export const s3Rules: Rule[] = [
  {
    kind: "baseline",
    id: "CKV_AWS_19",
    title: "S3 buckets are encrypted at rest (SSE-S3 or SSE-KMS)",
    check: (ctx) =>
      each(buckets(ctx), (b) => {
        const rules = connected(ctx, b, "aws_s3_bucket_server_side_encryption_configuration").flatMap((c) => many(c.body.rule));
        const bad = rules
          .map((r) => one(r.apply_server_side_encryption_by_default)?.sse_algorithm)
          .filter((a) => !["AES256", "aws:kms", "aws:kms:dsse"].includes(a));
        return bad.length === 0 || `sse_algorithm ${JSON.stringify(bad)}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_21",
    title: "S3 buckets have versioning enabled",
    check: (ctx) =>
      each(
        buckets(ctx),
        (b) =>
          connected(ctx, b, "aws_s3_bucket_versioning").some((v) => one(v.body.versioning_configuration)?.status === "Enabled") ||
          "no aws_s3_bucket_versioning with status Enabled",
      ),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_61",
    title: "S3 buckets have a lifecycle configuration",
    check: (ctx) =>
      each(
        buckets(ctx),
        (b) =>
          connected(ctx, b, "aws_s3_bucket_lifecycle_configuration").some((l) => many(l.body.rule).some((r) => r.status === "Enabled")) ||
          "no aws_s3_bucket_lifecycle_configuration with an enabled rule",
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_20",
    title: "S3 buckets grant no public read ACL",
    check: (ctx) => [
      ...each(buckets(ctx), (b) => !PUBLIC_READ_ACLS.includes(b.body.acl) || `acl ${b.body.acl}`),
      ...each(ctx.model.resources("aws_s3_bucket_acl"), (a) => !PUBLIC_READ_ACLS.includes(a.body.acl) || `acl ${a.body.acl}`),
    ],
  },
  {
    kind: "baseline",
    id: "CKV_AWS_57",
    title: "S3 buckets grant no public write ACL",
    check: (ctx) => [
      ...each(buckets(ctx), (b) => b.body.acl !== "public-read-write" || "acl public-read-write"),
      ...each(ctx.model.resources("aws_s3_bucket_acl"), (a) => a.body.acl !== "public-read-write" || "acl public-read-write"),
    ],
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_6",
    title: "S3 buckets have a public access block (ACLs and policies blocked)",
    check: (ctx) =>
      each(
        buckets(ctx),
        (b) =>
          connected(ctx, b, "aws_s3_bucket_public_access_block").some(
            (p) => p.body.block_public_acls === true && p.body.block_public_policy === true,
          ) || "no connected public access block with block_public_acls and block_public_policy",
      ),
  },
  ...(
    [
      ["CKV_AWS_53", "block_public_acls"],
      ["CKV_AWS_54", "block_public_policy"],
      ["CKV_AWS_55", "ignore_public_acls"],
      ["CKV_AWS_56", "restrict_public_buckets"],
    ] as const
  ).map(
    ([id, flag]): Rule => ({
      kind: "baseline",
      id,
      title: `S3 public access blocks set ${flag}`,
      check: (ctx) =>
        each(ctx.model.resources("aws_s3_bucket_public_access_block"), (p) => p.body[flag] === true || `${flag} is ${p.body[flag]}`),
    }),
  ),
  {
    kind: "baseline",
    id: "CKV2_AWS_65",
    title: "S3 buckets disable ACLs (BucketOwnerEnforced)",
    check: (ctx) =>
      each(buckets(ctx), (b) => {
        const owners = connected(ctx, b, "aws_s3_bucket_ownership_controls").map((o) => one(o.body.rule)?.object_ownership);
        return owners.includes("BucketOwnerEnforced") || `object_ownership ${JSON.stringify(owners)}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_70",
    title: "S3 bucket policies allow no unconditioned public principal",
    check: (ctx) =>
      each(buckets(ctx), (b) => {
        const open = bucketPolicies(ctx, b).filter(
          (s) => s.effect === "Allow" && isPublicPrincipal(s) && Object.keys(s.conditions).length === 0,
        );
        return open.length === 0 || `Allow to Principal "*" without condition: ${open.map((s) => s.sid ?? s.actions.join(",")).join("; ")}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_93",
    title: "S3 bucket policies cannot lock everyone out (no unconditioned Deny * on s3:*)",
    check: (ctx) =>
      each(buckets(ctx), (b) => {
        const lockout = bucketPolicies(ctx, b).filter(
          (s) =>
            s.effect === "Deny" &&
            isPublicPrincipal(s) &&
            Object.keys(s.conditions).length === 0 &&
            s.actions.some((a) => ["*", "s3:*", "s3:PutBucketPolicy"].includes(a)),
        );
        return lockout.length === 0 || "unconditioned Deny to Principal * on s3:* / s3:PutBucketPolicy";
      }),
  },
  {
    kind: "baseline",
    id: "GAP-1",
    title: "S3 bucket policies deny every request without TLS (aws:SecureTransport=false, bucket and objects)",
    check: (ctx) =>
      each(buckets(ctx), (b) => {
        const arn = `\${${b.address}.arn}`;
        const tlsOnly = bucketPolicies(ctx, b).some(
          (s) =>
            s.effect === "Deny" &&
            isPublicPrincipal(s) &&
            s.actions.some((a) => a === "s3:*" || a === "*") &&
            s.resources.includes(arn) &&
            s.resources.includes(`${arn}/*`) &&
            s.conditions.Bool?.["aws:SecureTransport"]?.includes("false") === true,
        );
        return tlsOnly || "no Deny s3:* on the bucket and its objects when aws:SecureTransport is false";
      }),
  },
  {
    kind: "baseline",
    id: "AWS-0320",
    title: "S3 bucket names are DNS-compliant",
    check: (ctx) =>
      each(buckets(ctx), (b) => {
        const name = b.body.bucket;
        if (name === undefined) return b.body.bucket_prefix !== undefined || "neither bucket nor bucket_prefix";
        // an interpolated account id stands in as 12 digits
        const sample = isExpression(name) ? String(name).replace(/\$\{[^}]*\}/g, "123456789012") : String(name);
        return /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(sample) || `bucket name ${name}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_144",
    title: "S3 buckets replicate across regions",
    check: (ctx) => each(buckets(ctx), (b) => connected(ctx, b, "aws_s3_bucket_replication_configuration").length > 0 || "no replication"),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_62",
    title: "S3 buckets send event notifications",
    check: (ctx) => each(buckets(ctx), (b) => connected(ctx, b, "aws_s3_bucket_notification").length > 0 || "no event notifications"),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_143",
    title: "S3 buckets have object lock enabled",
    check: (ctx) =>
      each(
        buckets(ctx),
        (b) =>
          b.body.object_lock_enabled === true ||
          connected(ctx, b, "aws_s3_bucket_object_lock_configuration").length > 0 ||
          "no object lock",
      ),
  },
  {
    kind: "baseline",
    id: "AWS-0170",
    title: "S3 buckets require MFA delete",
    check: (ctx) =>
      each(
        buckets(ctx),
        (b) =>
          connected(ctx, b, "aws_s3_bucket_versioning").some((v) => one(v.body.versioning_configuration)?.mfa_delete === "Enabled") ||
          "MFA delete not enabled",
      ),
  },
];
