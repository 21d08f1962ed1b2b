/** CloudFront rules (docs/security.md, "CloudFront"; project check GAP-6). */
import { each, type PolicyContext, type Rule } from "../support/rule.js";
import { type Block, many, one, refsIn } from "../support/tf-json.js";

const distributions = (ctx: PolicyContext) => ctx.model.resources("aws_cloudfront_distribution");
const behaviors = (d: Block) =>
  [one(d.body.default_cache_behavior), ...many(d.body.ordered_cache_behavior)].filter(Boolean) as Record<string, any>[];
const customOrigins = (d: Block) => many(d.body.origin).filter((o) => one(o.custom_origin_config));

/** The response headers policy resource or data source the default behavior references. */
function headersPolicy(ctx: PolicyContext, d: Block): Block | undefined {
  const ref = refsIn(one(d.body.default_cache_behavior)?.response_headers_policy_id).find(
    (r) => r.type === "aws_cloudfront_response_headers_policy",
  );
  return ref && ctx.model.resolve(d, ref);
}

export const cloudfrontRules: Rule[] = [
  {
    kind: "baseline",
    id: "CKV_AWS_34",
    title: "CloudFront redirects or refuses plain HTTP (no allow-all viewer policy)",
    check: (ctx) =>
      each(
        distributions(ctx),
        (d) => behaviors(d).every((b) => b.viewer_protocol_policy !== "allow-all") || "viewer_protocol_policy allow-all",
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_174",
    title: "CloudFront uses a custom certificate with TLS 1.2+ (TLSv1.2_2021)",
    check: (ctx) =>
      each(distributions(ctx), (d) => {
        const cert = one(d.body.viewer_certificate) ?? {};
        if (cert.cloudfront_default_certificate === true) return "cloudfront_default_certificate (minimum TLSv1)";
        return (
          /^TLSv1\.(2|3)_\d{4}$/.test(cert.minimum_protocol_version ?? "") || `minimum_protocol_version ${cert.minimum_protocol_version}`
        );
      }),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_42",
    title: "CloudFront serves a custom ACM certificate",
    check: (ctx) =>
      each(distributions(ctx), (d) => {
        const cert = one(d.body.viewer_certificate) ?? {};
        return !!(cert.acm_certificate_arn || cert.iam_certificate_id) || "no acm_certificate_arn";
      }),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_46",
    title: "CloudFront reads its S3 origin through origin access control (sigv4, always signed)",
    check: (ctx) =>
      each(distributions(ctx), (d) => {
        const s3Origins = many(d.body.origin).filter((o) => refsIn(o.domain_name).some((r) => r.type === "aws_s3_bucket"));
        if (s3Origins.length === 0) return "no S3 origin";
        for (const o of s3Origins) {
          const ref = refsIn(o.origin_access_control_id).find((r) => r.type === "aws_cloudfront_origin_access_control");
          const oac = ref && ctx.model.resolve(d, ref);
          if (!oac) return `origin ${o.origin_id} has no origin_access_control_id`;
          const b = oac.body;
          if (b.origin_access_control_origin_type !== "s3" || b.signing_behavior !== "always" || b.signing_protocol !== "sigv4") {
            return `${oac.address} is not an always-signing sigv4 S3 OAC`;
          }
        }
        return true;
      }),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_32",
    title: "CloudFront references a response headers policy (a graph connection, not a pasted id)",
    check: (ctx) =>
      each(distributions(ctx), (d) => !!headersPolicy(ctx, d) || "default behavior references no aws_cloudfront_response_headers_policy"),
  },
  {
    kind: "baseline",
    id: "GAP-6",
    title: "CloudFront's response headers policy is a security-headers one (HSTS >= 1 year, nosniff, framing denied, CSP)",
    check: (ctx) =>
      each(distributions(ctx), (d) => {
        const policy = headersPolicy(ctx, d);
        if (!policy) return "no response headers policy";
        const h = one(policy.body.security_headers_config) ?? {};
        const hsts = one(h.strict_transport_security);
        const missing = [
          !(hsts && hsts.access_control_max_age_sec >= 31536000 && hsts.override) && "HSTS max-age >= 31536000 (override)",
          !one(h.content_type_options)?.override && "X-Content-Type-Options (override)",
          !["DENY", "SAMEORIGIN"].includes(one(h.frame_options)?.frame_option) && "X-Frame-Options",
          !/default-src/.test(one(h.content_security_policy)?.content_security_policy ?? "") && "Content-Security-Policy with default-src",
        ].filter(Boolean);
        return missing.length === 0 || `${policy.address} lacks ${missing.join(", ")}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_54",
    title: "CloudFront custom origins never use SSLv3",
    check: (ctx) =>
      each(
        distributions(ctx),
        (d) =>
          customOrigins(d).every((o) => !many(one(o.custom_origin_config)?.origin_ssl_protocols).includes("SSLv3" as never)) ||
          "SSLv3 origin",
      ),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_72",
    title: "CloudFront custom origins are reached over HTTPS only",
    check: (ctx) =>
      each(
        distributions(ctx),
        (d) =>
          customOrigins(d).every((o) => one(o.custom_origin_config)?.origin_protocol_policy === "https-only") || "origin not https-only",
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_216",
    title: "CloudFront distributions are enabled",
    check: (ctx) => each(distributions(ctx), (d) => d.body.enabled === true || `enabled ${d.body.enabled}`),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_305",
    title: "CloudFront has a default root object",
    check: (ctx) => each(distributions(ctx), (d) => !!d.body.default_root_object || "no default_root_object"),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_374",
    title: "CloudFront restricts viewers by geography",
    check: (ctx) =>
      each(distributions(ctx), (d) => {
        const type = one(one(d.body.restrictions)?.geo_restriction)?.restriction_type;
        return (type !== undefined && type !== "none") || `restriction_type ${type}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_310",
    title: "CloudFront has an origin group with failover",
    check: (ctx) => each(distributions(ctx), (d) => many(d.body.origin_group).some((g) => many(g.member).length >= 2) || "no origin group"),
  },
];
