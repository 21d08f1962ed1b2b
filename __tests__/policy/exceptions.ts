/**
 * The one list of security checks this starter does not meet, where, and why. The policy tests
 * hold every rule in every variant and resource not listed here, and fail when an entry no longer
 * matches anything (a stale exception hides nothing and should go).
 */
import { ROUTES, type RouteName } from "../../backend/src/routes.js";
import type { VariantName } from "../support/variants.js";

export interface PolicyException {
  /** Rule id, as in the test name. */
  rule: string;
  /** Variants where the rule is allowed to fail. */
  variants: readonly VariantName[] | "all";
  /** Only these resources (`<stack>/<address>`) may fail; unset: any resource the rule looks at. */
  resource?: RegExp;
  reason: string;
}

/** Variants without `domain`: CloudFront serves its own *.cloudfront.net certificate. */
const NO_DOMAIN = ["default", "no-vpc", "existing-vpc", "x86", "s3-state", "alarms", "auth"] as const;
/** Variants with sign-in (`auth: "cognito"`): the route table's "jwt" routes carry the JWT authorizer. */
const SIGN_IN = ["auth", "auth-domain"] as const;
/**
 * The API routes the route table leaves open (`authorization: "none"`, GET /health): the app stack
 * names each route `route_<index in the table>`.
 */
const OPEN_ROUTES = new RegExp(
  `/aws_apigatewayv2_route\\.api_route_(${(Object.keys(ROUTES) as RouteName[])
    .flatMap((name, i) => (ROUTES[name].authorization === "none" ? [String(i)] : []))
    .join("|")})_`,
);
const ACCESS_LOG_BUCKET = /\/aws_s3_bucket\.access_logs_bucket_/;
/** The API's function (a container image invoked synchronously by API Gateway). */
const API_FUNCTION = /\/aws_lambda_function\.api_function_/;
/** The spend stop's function (spend_stop: a zip invoked asynchronously by SNS, once per budget alert). */
const SPEND_STOP_FUNCTION = /\/aws_lambda_function\.spend_stop_function_/;
/** Variants with spend_stop. */
const SPEND_STOP = ["all-toggles", "alarms", "github"] as const;

/** The GitHub Actions deploy and preview roles' policies (stacks/github-permissions.ts). */
const GITHUB_ROLE_POLICIES = /^github\/aws_iam_role_policy\.github_oidc_(deploy|preview)_policy_/;

export const EXCEPTIONS: readonly PolicyException[] = [
  {
    rule: "CKV_AWS_286",
    variants: ["github"],
    resource: GITHUB_ROLE_POLICIES,
    reason:
      "A deploy role creates the function and its role, so it must pass roles and create functions. It may create or change " +
      "roles only with the permissions boundary attached (iam:PermissionsBoundary), pass them only to Lambda and VPC flow logs, " +
      "and is denied removing or editing the boundary and touching the GitHub roles (docs/github.md).",
  },
  {
    rule: "CKV_AWS_287",
    variants: ["github"],
    resource: GITHUB_ROLE_POLICIES,
    reason: "ecr:GetAuthorizationToken is the registry login `docker push` of the function's image needs (it has no resource to scope).",
  },
  {
    rule: "CKV_AWS_115",
    variants: SPEND_STOP,
    resource: SPEND_STOP_FUNCTION,
    reason:
      "The spend stop runs once per budget alert (at most a few times a month); reserving concurrency for it would take " +
      "from the account's unreserved pool, which new accounts cannot spare.",
  },
  {
    rule: "CKV_AWS_117",
    variants: SPEND_STOP,
    resource: SPEND_STOP_FUNCTION,
    reason:
      "The spend stop only calls API Gateway's management API; from the VPC's private subnets that needs an interface " +
      "endpoint (about $7 a month per AZ) or a NAT gateway, for one call a month. It holds no data.",
  },
  {
    rule: "CKV_AWS_116",
    variants: SPEND_STOP,
    resource: SPEND_STOP_FUNCTION,
    reason:
      "Lambda retries a failed asynchronous invoke twice, and the spend-stop-errors alarm mails on any error when " +
      "alarm_email is set; a queue would only keep the budget's message, which has nothing to replay.",
  },
  {
    rule: "CKV_AWS_272",
    variants: SPEND_STOP,
    resource: SPEND_STOP_FUNCTION,
    reason:
      "Code signing needs an AWS Signer profile and a signing job at build time; the 4 KB handler is zipped from this " +
      "repository at synth and its SHA-256 is pinned in source_code_hash.",
  },
  {
    rule: "CKV_AWS_26",
    variants: SPEND_STOP,
    resource: /^registry\/aws_sns_topic\.spend_stop_topic_/,
    reason:
      "The spend-stop topic lives with the budget in the registry stack, which has no customer managed key; a key there " +
      "($1 a month) whose policy admits budgets.amazonaws.com would protect only the budget's name and amounts.",
  },
  {
    rule: "CKV_AWS_115",
    variants: ["default", "domain", "no-vpc", "existing-vpc", "x86", "stage", "s3-state", "alarms", ...SIGN_IN, "github"],
    resource: API_FUNCTION,
    reason:
      "Reserved concurrency is opt-in (lambda_reserved_concurrency): new accounts often cannot reserve any " +
      "(the deploy fails below 10/50 unreserved), so a default that fails to deploy would be worse than no cap.",
  },
  {
    rule: "CKV_AWS_117",
    variants: ["no-vpc"],
    resource: API_FUNCTION,
    reason: "vpc_deploy=false without vpc_id is the user's choice of Lambda-managed networking (no VPC to join).",
  },
  {
    rule: "CKV_AWS_174",
    variants: NO_DOMAIN,
    reason:
      "Without a domain CloudFront must use its default *.cloudfront.net certificate, whose minimum protocol AWS fixes; set `domain` for TLSv1.2_2021.",
  },
  {
    rule: "CKV2_AWS_42",
    variants: NO_DOMAIN,
    reason: "Without a domain there is no name to issue an ACM certificate for; zero config must still deploy.",
  },
  {
    rule: "CKV_AWS_309",
    variants: ["default", "domain", "no-vpc", "existing-vpc", "x86", "stage", "s3-state", "all-toggles", "alarms", "github"],
    reason:
      'With auth: "none" (the default) the API is a public, unauthenticated sign-up API by design (reads never return e-mail); auth: "cognito" puts a JWT authorizer on it.',
  },
  {
    rule: "CKV_AWS_309",
    variants: SIGN_IN,
    resource: OPEN_ROUTES,
    reason: "GET /health answers anyone (load balancers, uptime checks, the deploy's smoke check) and returns no data.",
  },
  {
    rule: "CKV_AWS_374",
    variants: "all",
    reason: "Geo restriction is a product decision, not a security baseline.",
  },
  {
    rule: "CKV_AWS_310",
    variants: "all",
    reason: "Origin failover needs a second bucket; the static assets are rebuilt from CI.",
  },
  {
    rule: "CKV_AWS_116",
    variants: "all",
    resource: API_FUNCTION,
    reason: "Dead-letter queues only apply to asynchronous invokes; API Gateway invokes synchronously.",
  },
  {
    rule: "CKV_AWS_272",
    variants: "all",
    resource: API_FUNCTION,
    reason: "Functions packaged as container images do not support code signing.",
  },
  {
    rule: "CKV_AWS_144",
    variants: "all",
    reason: "Cross-region replication doubles storage for assets that CI can rebuild.",
  },
  {
    rule: "CKV2_AWS_62",
    variants: "all",
    reason: "Nothing consumes object events in this design.",
  },
  {
    rule: "CKV_AWS_143",
    variants: "all",
    reason: "Object lock would block overwriting assets on every deploy.",
  },
  {
    rule: "AWS-0170",
    variants: "all",
    reason: "MFA delete can only be enabled by the root user with an MFA device, never by a deploy role.",
  },
  {
    rule: "CKV_AWS_338",
    variants: "all",
    reason: "Retention is the logs_retention key (30 days by default: storage cost grows with it); set 365 to meet this check.",
  },
  {
    rule: "CKV2_AWS_65",
    variants: ["all-toggles"],
    resource: ACCESS_LOG_BUCKET,
    reason:
      "CloudFront standard logging delivers with an ACL grant (awslogsdelivery), so the log bucket must keep ACLs enabled (BucketOwnerPreferred).",
  },
  {
    rule: "CKV_AWS_18",
    variants: ["all-toggles"],
    resource: ACCESS_LOG_BUCKET,
    reason: "The access-log bucket does not log access to itself (each log delivery would log again).",
  },
  {
    rule: "CKV_AWS_145",
    variants: ["all-toggles"],
    resource: ACCESS_LOG_BUCKET,
    reason: "S3 server access logging only delivers to target buckets encrypted with SSE-S3 (AES256), not SSE-KMS.",
  },
  {
    rule: "CKV_AWS_26",
    variants: ["alarms"],
    resource: /\/aws_sns_topic\.alarm_topic_us_east_1_/,
    reason:
      "CloudFront's alarm must notify a topic in us-east-1, and the customer managed key lives in the stack's region (KMS keys " +
      "are regional); a second key would cost $1/month to encrypt alarm names and states, so that one topic is unencrypted.",
  },
  {
    rule: "CKV_AWS_136",
    variants: ["all-toggles", "alarms"],
    reason:
      "ECR cannot change a repository's encryption: a toggle-dependent setting replaces the repository, and deleting one " +
      "that holds images fails, wedging every later deploy. Every repository is AES256 (SSE with S3-managed keys), whatever kms_customer_key says.",
  },
  {
    rule: "AWS-0033",
    variants: ["all-toggles", "alarms"],
    reason:
      "As CKV_AWS_136: the repository's encryption is fixed at AES256 so kms_customer_key never replaces it (and the " +
      "customer managed key lives in the app stack, deployed after the registry).",
  },
];

/** The exceptions that apply to `rule` in `variant`. */
export function exceptionsFor(rule: string, variant: VariantName): PolicyException[] {
  return EXCEPTIONS.filter((e) => e.rule === rule && (e.variants === "all" || e.variants.includes(variant)));
}
