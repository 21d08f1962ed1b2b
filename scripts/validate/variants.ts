/**
 * The named config variants that `npm run validate`, the synth tests and the policy tests all
 * iterate over. Each is a partial raw config (what a user would put in the APP_CONFIG file), so it
 * goes through the same parseConfig as a real deployment.
 */
import { type AppConfig, parseConfig } from "../../stacks/config.js";

export const VARIANTS = {
  /** Zero config: no domain, a new VPC, arm64, shared state in the derived bucket. */
  default: {},
  /** A custom domain: ACM certificates (one in us-east-1 for CloudFront), Route53 records. */
  domain: { domain: "example.com" },
  /** No VPC at all: the function runs outside any VPC. */
  "no-vpc": { vpc_deploy: false },
  /** The function joins subnets of a VPC that already exists. */
  "existing-vpc": {
    vpc_deploy: false,
    vpc_id: "vpc-0123456789abcdef0",
    vpc_subnet_ids: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
  },
  x86: { lambda_architecture: "x86_64" },
  /** A non-default stage: stack ids and names carry it. */
  stage: { stage: "prod", domain: "example.com" },
  /** A named state bucket in another region than the stacks (validated with -backend=false: no AWS here). */
  "s3-state": { state_bucket: "my-tfstate-bucket", state_region: "eu-west-1" },
  /** Every cost trade-off switched on. */
  "all-toggles": {
    domain: "example.com",
    kms_customer_key: true,
    access_logging: true,
    waf: true,
    xray_tracing: true,
    vpc_flow_logs: true,
    lambda_reserved_concurrency: 10,
    budget_monthly_usd: 20,
    budget_email: "ops@example.com",
    alarm_email: "alarms@example.com",
    spend_stop: true,
  },
  /**
   * Alarms outside us-east-1: CloudFront's alarm and a second topic live in us-east-1; the
   * customer key encrypts the regional topic; the budget alerts the alarm address, and its
   * over-the-limit alert stops the API (spend stop).
   */
  alarms: {
    aws_region: "eu-west-1",
    alarm_email: "alarms@example.com",
    kms_customer_key: true,
    budget_monthly_usd: 10,
    spend_stop: true,
  },
  /** Sign-in: a Cognito user pool on its prefix login domain, a JWT authorizer on the personal-data routes. */
  auth: { auth: "cognito" },
  /** Sign-in with a domain: the login pages on auth.<domain> with a us-east-1 certificate. */
  "auth-domain": { auth: "cognito", domain: "example.com" },
  /**
   * Deploys from GitHub Actions: the `github` stack (OIDC provider, deploy and preview roles,
   * permissions boundary), and the boundary on every role of the other stacks (the function's,
   * the flow logs', the spend stop's).
   */
  github: {
    github_repository: "octo-org/octo-repo",
    stage: "prod",
    domain: "example.com",
    vpc_flow_logs: true,
    budget_monthly_usd: 20,
    budget_email: "ops@example.com",
    spend_stop: true,
  },
} as const satisfies Record<string, Record<string, unknown>>;

export type VariantName = keyof typeof VARIANTS;

export const VARIANT_NAMES = Object.keys(VARIANTS) as VariantName[];

/** The parsed config of a variant; a variant that does not parse is a bug in this file. */
export function variantConfig(name: VariantName): AppConfig {
  const raw = VARIANTS[name];
  if (!raw) throw new Error(`Unknown config variant "${name}" (known: ${VARIANT_NAMES.join(", ")})`);
  const result = parseConfig(structuredClone(raw));
  if (!result.ok) {
    const lines = result.problems.map((p) => `  - ${p.key}: ${JSON.stringify(p.value)} ${p.rule}`);
    throw new Error(`Config variant "${name}" does not parse:\n${lines.join("\n")}`);
  }
  return result.config;
}

export function isVariantName(name: string): name is VariantName {
  return Object.hasOwn(VARIANTS, name);
}
