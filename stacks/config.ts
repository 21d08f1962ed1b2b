/**
 * The typed configuration of the whole app: the blog's variable names and (sound) defaults, plus
 * what this starter adds. Raw JSON goes in, a fully defaulted object or a list of problems comes out;
 * nothing downstream re-checks or re-defaults.
 */
import { isIPv4 } from "node:net";
import * as v from "valibot";
import { RESERVED_ATTRIBUTE_NAMES } from "../backend/src/table-definition.js";
import { validateEmail } from "../backend/src/user-schema.js";
import { LAMBDA_ARCHITECTURES, LAMBDA_DEFAULTS } from "../modules/lambda-defaults.js";
import { AWS_COMMERCIAL_REGIONS } from "./aws-regions.js";
import { ConfigFileError, cut, readConfigFile } from "./config-file.js";

/** CloudWatch Logs accepts only these retention periods (0 = never expire, which we refuse). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

/** Sign-in: "none" keeps the API anonymous, "cognito" adds a user pool and a JWT authorizer (docs/auth.md). */
export const AUTH_MODES = ["none", "cognito"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** API Gateway HTTP APIs cut an integration off after 30 s, so a longer Lambda timeout is never seen. */
export const API_GATEWAY_MAX_TIMEOUT_S = 30;

const DOMAIN_RE = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;
const LABEL_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const STAGE_RE = /^[a-z][a-z0-9-]{0,15}$/;
const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/**
 * Prefixes and suffixes S3 reserves (general purpose bucket naming rules,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): CreateBucket
 * refuses them, half-way through an apply.
 */
export const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
export const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;
/** Regions of the standard `aws` partition: the stacks write `arn:aws:` ARNs (not GovCloud's or China's). */
const REGION_RE = /^(?!cn-)[a-z]{2}-(?!gov-|iso)[a-z]+-\d$/;
/** Where Terraform state lives (docs/team.md). */
export const STATE_BACKENDS = ["s3", "local"] as const;
const TAG_RE = /^[A-Za-z0-9 _.:/=+@-]{1,128}$/;
/** GitHub's rules: owners are 1-39 letters, digits or single hyphens; repository names 1-100 of letters, digits, ".", "_", "-" (not "." or ".."). */
const GITHUB_REPOSITORY_RE = /^(?!-)[A-Za-z0-9-]{1,39}(?<!-)\/(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** Stages a pull request's preview deploys to (`pr-<number>`, docs/github.md). */
export const PREVIEW_STAGE_RE = /^pr-[0-9]+$/;
/** How long a preview stage keeps its logs, days. */
export const PREVIEW_LOG_RETENTION_DAYS = 3;
/** How many images a preview stage's repository keeps. */
export const PREVIEW_KEEP_IMAGES = 3;

const bucketName = v.pipe(
  v.string("must be a string"),
  v.regex(BUCKET_RE, "must be a valid S3 bucket name (3-63 lower-case letters, digits, '-', starting and ending with a letter or digit)"),
  v.check(
    (s) => !RESERVED_BUCKET_PREFIXES.some((p) => s.startsWith(p)),
    `must not start with a prefix S3 reserves (${RESERVED_BUCKET_PREFIXES.join(", ")})`,
  ),
  v.check(
    (s) => !RESERVED_BUCKET_SUFFIXES.some((x) => s.endsWith(x)),
    `must not end with a suffix S3 reserves (${RESERVED_BUCKET_SUFFIXES.join(", ")})`,
  ),
);

const KNOWN_REGIONS: ReadonlySet<string> = new Set(AWS_COMMERCIAL_REGIONS);
const region = v.pipe(
  v.string("must be a string"),
  v.regex(REGION_RE, "must be an AWS region of the standard partition such as us-east-1 (GovCloud and China are not supported)"),
  v.check((r) => KNOWN_REGIONS.has(r), "is not an AWS region (stacks/aws-regions.ts lists the standard partition's regions)"),
);

/** Tag keys: AWS reserves the `aws:` prefix in any case (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html). */
const tagKey = v.pipe(
  v.string(),
  v.regex(TAG_RE, "tag keys must be 1-128 letters, digits, spaces or _.:/=+@-"),
  v.check((k) => !k.toLowerCase().startsWith("aws:"), 'tag keys must not start with "aws:" (AWS reserves the prefix)'),
);

/** The network address of an IPv4 CIDR (`10.50.1.0/16` gives `10.50.0.0`). */
function networkAddress(ip: string, bits: number): string {
  const n = ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (n & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (net >>> shift) & 255).join(".");
}

const int = (min: number, max: number, rule: string) =>
  v.pipe(v.number("must be a number"), v.integer("must be an integer"), v.minValue(min, rule), v.maxValue(max, rule));

const pattern = (re: RegExp, rule: string) => v.pipe(v.string("must be a string"), v.regex(re, rule));
/** The same e-mail rule the API applies to a user's address. */
const email = v.pipe(
  v.string("must be a string"),
  v.check((s) => validateEmail(s) === undefined, "must be an e-mail address"),
);

const cidr = v.pipe(
  v.string("must be a string"),
  v.check((s) => {
    const [ip, bits, extra] = s.split("/");
    return extra === undefined && isIPv4(ip ?? "") && /^\d+$/.test(bits ?? "") && Number(bits) >= 16 && Number(bits) <= 20;
  }, "must be an IPv4 CIDR block with a prefix length from /16 to /20 (four /24-or-smaller subnets are carved from it)"),
  // EC2 refuses a VPC CIDR whose host bits are set (10.50.1.0/16), at apply time.
  v.check((s) => {
    const [ip, bits] = s.split("/");
    return networkAddress(ip!, Number(bits)) === ip;
  }, "has host bits set: the block must start at its network address (e.g. 10.50.0.0/16, not 10.50.1.0/16)"),
);

const configSchema = v.object(
  {
    // --- the blog's variables ---------------------------------------------------------------
    aws_region: v.optional(region, "us-east-1"),
    domain: v.optional(pattern(DOMAIN_RE, "must be a lower-case DNS name such as example.com (a public Route53 zone you own)")),
    logs_retention: v.optional(
      v.pipe(
        v.number("must be a number"),
        v.picklist(LOG_RETENTION_DAYS, `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`),
      ),
      30,
    ),
    vpc_deploy: v.optional(v.boolean("must be true or false"), true),
    vpc_id: v.optional(pattern(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id such as vpc-0123456789abcdef0")),
    vpc_subnet_ids: v.optional(
      v.pipe(
        v.array(pattern(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id such as subnet-0123456789abcdef0"), "must be a list"),
        v.maxLength(16, "must list at most 16 subnets"),
      ),
      [],
    ),
    /**
     * Create the DynamoDB gateway endpoint on the function's route tables. False when the VPC
     * already routes DynamoDB through one of its own (a second one on the same tables fails).
     */
    vpc_dynamodb_endpoint: v.optional(v.boolean("must be true or false"), true),
    vpc_name: v.optional(pattern(NAME_RE, "must be 1-64 letters, digits, '_' or '-'"), "serverless-starter"),
    vpc_cidr: v.optional(cidr, "10.50.0.0/16"),
    backend_subdomain: v.optional(pattern(LABEL_RE, "must be one DNS label (a-z, 0-9, '-')"), "api"),
    lambda_name: v.optional(pattern(NAME_RE, "must be 1-64 letters, digits, '_' or '-'"), "backend-api"),
    lambda_memory: v.optional(int(128, 10240, "must be from 128 to 10240 MB (Lambda's range)"), LAMBDA_DEFAULTS.memorySize),
    lambda_architecture: v.optional(v.picklist(LAMBDA_ARCHITECTURES, 'must be "arm64" or "x86_64"'), LAMBDA_DEFAULTS.architecture),
    lambda_timeout: v.optional(
      int(1, API_GATEWAY_MAX_TIMEOUT_S, `must be from 1 to ${API_GATEWAY_MAX_TIMEOUT_S} seconds (API Gateway gives up after 30 s)`),
      LAMBDA_DEFAULTS.timeout,
    ),
    table_name: v.optional(pattern(/^[A-Za-z0-9_.-]{3,200}$/, "must be 3-200 letters, digits, '_', '.' or '-'"), "users"),
    table_attributes: v.optional(
      v.pipe(
        v.array(
          v.strictObject(
            {
              name: pattern(/^[A-Za-z0-9_.-]{1,255}$/, "must be an attribute name"),
              type: v.picklist(["S", "N", "B"], 'must be "S", "N" or "B"'),
            },
            "must be an object with exactly name and type",
          ),
          "must be a list",
        ),
        v.minLength(1, "must name at least the hash key"),
      ),
      [{ name: "UserId", type: "S" as const }],
    ),
    table_hash_key: v.optional(pattern(/^[A-Za-z0-9_.-]{1,255}$/, "must be an attribute name"), "UserId"),
    frontend_subdomain: v.optional(pattern(LABEL_RE, "must be one DNS label (a-z, 0-9, '-')"), "app"),
    frontend_bucket_name: v.optional(bucketName),

    // --- what this starter adds ----------------------------------------------------------
    /** Names the deployment; stack ids and resource names carry it unless it is the default. */
    stage: v.optional(pattern(STAGE_RE, "must start with a letter and be 1-16 of a-z, 0-9, '-'"), "dev"),
    project_name: v.optional(
      pattern(/^[a-z][a-z0-9-]{1,23}$/, "must be 2-24 of a-z, 0-9, '-', starting with a letter"),
      "serverless-starter",
    ),
    /** Image tag in the ECR repository the function runs (its digest is what is deployed). Unset: the most recent image. */
    image_tag: v.optional(pattern(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be a valid image tag")),
    ecr_keep_images: v.optional(int(1, 1000, "must be from 1 to 1000"), 10),
    /** Sign-in: "cognito" guards the API's personal-data routes with a Cognito user pool's tokens (docs/auth.md). */
    auth: v.optional(v.picklist(AUTH_MODES, 'must be "none" or "cognito"'), "none"),
    cloudfront_price_class: v.optional(v.picklist(PRICE_CLASSES, `must be one of ${PRICE_CLASSES.join(", ")}`), "PriceClass_100"),
    /** Requests/s of each route (every route has its own bucket): with the write limit below, the cap on the bill (docs/operations.md). */
    // At least 1: a zero limit answers every request 429 (the schema is the only check of it).
    api_throttling_rate_limit: v.optional(int(1, 10000, "must be from 1 to 10000 requests per second (the account limit)"), 5),
    api_throttling_burst_limit: v.optional(int(1, 5000, "must be from 1 to 5000 requests (the account burst limit)"), 10),
    /** Requests/s of each write route (POST: each one a DynamoDB write, the dearest request). */
    api_write_rate_limit: v.optional(int(1, 10000, "must be from 1 to 10000 requests per second (the account limit)"), 1),
    api_write_burst_limit: v.optional(int(1, 5000, "must be from 1 to 5000 requests (the account burst limit)"), 5),
    /** No upper bound here: what the account can reserve is checked by the deploy (GetAccountSettings), before anything changes. */
    lambda_reserved_concurrency: v.optional(
      int(1, Number.MAX_SAFE_INTEGER, "must be a whole number of at least 1 (the deploy checks it against the account's concurrency)"),
    ),
    table_deletion_protection: v.optional(v.boolean("must be true or false"), true),
    table_point_in_time_recovery: v.optional(v.boolean("must be true or false"), true),
    /** Cost toggles (docs/security.md), all off by default. */
    kms_customer_key: v.optional(v.boolean("must be true or false"), false),
    access_logging: v.optional(v.boolean("must be true or false"), false),
    waf: v.optional(v.boolean("must be true or false"), false),
    xray_tracing: v.optional(v.boolean("must be true or false"), false),
    vpc_flow_logs: v.optional(v.boolean("must be true or false"), false),
    /** Monthly AWS Budget with forecast and actual alerts; both keys or neither. */
    budget_monthly_usd: v.optional(
      v.pipe(v.number("must be a number"), v.minValue(1, "must be at least 1"), v.maxValue(1e6, "must be at most 1000000")),
    ),
    budget_email: v.optional(email),
    /** CloudWatch alarms on the function, API, table and CDN, e-mailed through one SNS topic. Unset: no alarms. */
    alarm_email: v.optional(email),
    /** Lambda errors, and API 5xx answers, in 5 minutes that raise an alarm. */
    alarm_error_count: v.optional(int(1, 100000, "must be from 1 to 100000 errors in 5 minutes"), 5),
    /** API latency (p99 over 5 minutes, 3 periods in a row) that raises an alarm, ms. */
    alarm_api_latency_ms: v.optional(int(100, 30000, "must be from 100 to 30000 ms (API Gateway gives up after 30 s)"), 2500),
    /** The function's longest run, in percent of its timeout, that raises an alarm. */
    alarm_duration_percent: v.optional(int(10, 100, "must be from 10 to 100 percent of lambda_timeout"), 80),
    /** CloudFront's 5xx error rate, in percent of requests over 10 minutes, that raises an alarm. */
    alarm_cdn_5xx_percent: v.optional(int(1, 100, "must be from 1 to 100 percent"), 5),
    /** Stop the API (throttle its stage to 0) when the month's actual cost passes budget_monthly_usd; `npm run resume` undoes it. */
    spend_stop: v.optional(v.boolean("must be true or false"), false),
    /** Where Terraform state lives: "s3" (shared, the default; docs/team.md) or "local" (.state/, this machine only). */
    state_backend: v.optional(v.picklist(STATE_BACKENDS, 'must be "s3" or "local"'), "s3"),
    /** The S3 state bucket; unset: `<project>-tfstate-<account>-<region>`, found (or created) by the deploy. */
    state_bucket: v.optional(bucketName),
    /** Region of the state bucket; unset: aws_region. */
    state_region: v.optional(region),
    // --- deploys from GitHub Actions (docs/github.md) -------------------------------------
    /** "owner/name": the `github` stack creates OIDC roles only this repository's main branch and pull requests can assume. */
    github_repository: v.optional(
      pattern(
        GITHUB_REPOSITORY_RE,
        'must be a GitHub repository as "owner/name" (letters, digits, "-" in the owner; letters, digits, ".", "_", "-" in the name; no wildcards)',
      ),
    ),
    /** "create" the account's GitHub OIDC provider, or "reuse" the one that exists (IAM allows one per URL). */
    github_oidc_provider: v.optional(v.picklist(["create", "reuse"], 'must be "create" or "reuse"'), "create"),
    /** A disposable preview stage (no deletion protection, no PITR, short logs, 3 images). Unset: true for stages named pr-<number>. */
    preview: v.optional(v.boolean("must be true or false")),
    tags: v.optional(
      v.pipe(
        v.record(tagKey, pattern(TAG_RE, "tag values must be 1-128 letters, digits, spaces or _.:/=+@-"), "must be an object of strings"),
        v.check((t) => Object.keys(t).length <= 40, "must have at most 40 tags"),
      ),
      {},
    ),
  },
  "must be a JSON object",
);

/** Every key the config accepts. */
export const CONFIG_KEYS: readonly string[] = Object.keys(configSchema.entries);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function unknownKeyRule(key: string): string {
  if (key.length > 64) return "is not a known key (see the configuration table in docs/configuration.md)";
  const closest = [...CONFIG_KEYS].sort((x, y) => editDistance(key, x) - editDistance(key, y))[0]!;
  return editDistance(key, closest) <= 3
    ? `is not a known key (did you mean "${closest}"?)`
    : "is not a known key (see the configuration table in docs/configuration.md)";
}

type ParsedConfig = v.InferOutput<typeof configSchema>;

/** The validated, defaulted configuration, with derived names filled in. */
export interface AppConfig extends Omit<ParsedConfig, "frontend_bucket_name" | "preview"> {
  /**
   * A disposable preview stage (`preview`, else a stage named `pr-<number>`): its table has no
   * deletion protection and no PITR, its logs expire after PREVIEW_LOG_RETENTION_DAYS and its
   * repository keeps PREVIEW_KEEP_IMAGES images, whatever the file says (one committed config
   * serves main and every pull request).
   */
  preview: boolean;
  /** The bucket name, or undefined to derive `<project>-<stage>-web-<account id>` at plan time. */
  frontend_bucket_name: string | undefined;
  /** True when `stage` is the default ("dev"), so ids and names carry no suffix. */
  isDefaultStage: boolean;
}

export const DEFAULT_STAGE = "dev";

/** One problem with the input: which key, what it held, which rule it broke. */
export interface ConfigProblem {
  key: string;
  value: unknown;
  rule: string;
}

/** A value as the error shows it: JSON, cut to a readable length (a config value can be huge). */
export function echoValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = "(a value too deeply nested to show)";
  }
  return cut(text);
}

export class ConfigError extends Error {
  constructor(
    readonly problems: ConfigProblem[],
    readonly source: string,
  ) {
    super(
      `Invalid configuration (${cut(source, 200)}):\n` +
        problems.map((p) => `  - ${cut(p.key, 80)}: ${echoValue(p.value)} ${p.rule}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

function keyOf(issue: v.BaseIssue<unknown>): string {
  const path = issue.path?.map((p) => String(p.key)) ?? [];
  return path.length ? path.map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : (i ? "." : "") + k)).join("") : "(config)";
}

/** Alarm thresholds: each needs alarm_email. */
const ALARM_THRESHOLD_KEYS = ["alarm_error_count", "alarm_api_latency_ms", "alarm_duration_percent", "alarm_cdn_5xx_percent"] as const;

/** Rules that span several keys (`raw` tells keys the user set from defaults). */
function crossKeyProblems(c: ParsedConfig, raw: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (c.vpc_deploy && c.vpc_id) {
    problems.push({
      key: "vpc_id",
      value: c.vpc_id,
      rule: "can only be used with vpc_deploy: false (an existing VPC instead of a new one)",
    });
  }
  if (c.vpc_id && c.vpc_subnet_ids.length === 0) {
    problems.push({ key: "vpc_subnet_ids", value: c.vpc_subnet_ids, rule: "must list the private subnets of vpc_id the function joins" });
  }
  if (!c.vpc_dynamodb_endpoint && !c.vpc_id) {
    problems.push({
      key: "vpc_dynamodb_endpoint",
      value: false,
      rule: "can only be false with an existing VPC (vpc_id); the VPC this app creates needs its endpoint",
    });
  }
  if (!c.vpc_id && c.vpc_subnet_ids.length > 0) {
    problems.push({ key: "vpc_subnet_ids", value: c.vpc_subnet_ids, rule: "can only be used together with vpc_id" });
  }
  problems.push(...tableShapeProblems(c));
  if (c.budget_monthly_usd !== undefined && c.budget_email === undefined && c.alarm_email === undefined) {
    problems.push({
      key: "budget_email",
      value: undefined,
      rule: "must be set together with budget_monthly_usd (or set alarm_email: the budget then alerts that address)",
    });
  }
  if (c.budget_email !== undefined && c.budget_monthly_usd === undefined) {
    problems.push({ key: "budget_monthly_usd", value: undefined, rule: "must be set together with budget_email" });
  }
  if (c.spend_stop && c.budget_monthly_usd === undefined) {
    problems.push({
      key: "spend_stop",
      value: true,
      rule: "needs budget_monthly_usd and budget_email (or alarm_email): the stop is triggered by the budget's alert",
    });
  }
  if (c.alarm_email === undefined) {
    // Thresholds without alarms would be silently ignored.
    for (const key of ALARM_THRESHOLD_KEYS) {
      if (raw[key] !== undefined)
        problems.push({ key, value: raw[key], rule: "can only be used together with alarm_email (no alarms exist without it)" });
    }
  }
  if (c.github_oidc_provider === "reuse" && !c.github_repository) {
    problems.push({ key: "github_oidc_provider", value: c.github_oidc_provider, rule: "can only be used together with github_repository" });
  }
  if (c.github_repository && c.state_backend === "local") {
    problems.push({
      key: "state_backend",
      value: c.state_backend,
      rule: 'must be "s3" with github_repository: a GitHub Actions job starts from an empty checkout and finds its state only in S3',
    });
  }
  if (c.state_backend === "local") {
    for (const key of ["state_bucket", "state_region"] as const) {
      if (c[key] !== undefined)
        problems.push({ key, value: c[key], rule: 'can only be used with state_backend "s3" (local state has no bucket)' });
    }
  }
  if (c.domain && c.backend_subdomain === c.frontend_subdomain) {
    problems.push({ key: "backend_subdomain", value: c.backend_subdomain, rule: "must differ from frontend_subdomain" });
  }
  problems.push(...authProblems(c));
  problems.push(...nameLimitProblems(c));
  return problems;
}

/**
 * Names Cognito would refuse at apply time, with the pool already created: the login pages' host
 * `auth.<domain>` must not be the web app's or the API's, and the prefix domain
 * `<project_name>[-<stage>]-<account id>` must not contain a word Cognito reserves
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html).
 */
function authProblems(c: ParsedConfig): ConfigProblem[] {
  if (c.auth !== "cognito") return [];
  const problems: ConfigProblem[] = [];
  if (c.domain) {
    for (const key of ["frontend_subdomain", "backend_subdomain"] as const) {
      if (c[key] === "auth")
        problems.push({
          key,
          value: c[key],
          rule: 'must not be "auth" with auth: "cognito" (the login pages are served on auth.<domain>)',
        });
    }
  } else {
    const prefix = c.stage === DEFAULT_STAGE ? c.project_name : `${c.project_name}-${c.stage}`;
    const reserved = ["aws", "amazon", "cognito"].find((word) => prefix.includes(word));
    if (reserved) {
      problems.push({
        key: c.project_name.includes(reserved) ? "project_name" : "stage",
        value: c.project_name.includes(reserved) ? c.project_name : c.stage,
        rule: `must not contain "${reserved}" with auth: "cognito" and no domain (it names the Cognito login domain <project_name>[-<stage>]-<account id>, and Cognito reserves the word)`,
      });
    }
  }
  return problems;
}

/**
 * The table shapes the backend can use: it writes the user id as a string under the hash key, and
 * its own attributes (the list index's keys among them) come from backend/src/table-definition.ts.
 * Anything else would deploy, then fail every request with a 500.
 */
function tableShapeProblems(c: ParsedConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const hashKey = c.table_attributes.find((a) => a.name === c.table_hash_key);
  if (!hashKey) {
    return [{ key: "table_hash_key", value: c.table_hash_key, rule: "must be one of the names in table_attributes" }];
  }
  if (hashKey.type !== "S") {
    problems.push({
      key: "table_attributes",
      value: c.table_attributes,
      rule: `must give the hash key "${c.table_hash_key}" type "S": the backend stores userId as a string, so a "${hashKey.type}" key would answer every request 500`,
    });
  }
  const others = c.table_attributes.filter((a) => a.name !== c.table_hash_key);
  if (others.length > 0) {
    problems.push({
      key: "table_attributes",
      value: c.table_attributes,
      rule: `must list only the hash key; ${others.map((a) => `"${a.name}"`).join(", ")} is no key the backend uses (the list index's keys come from backend/src/table-definition.ts)`,
    });
  }
  if (RESERVED_ATTRIBUTE_NAMES.includes(c.table_hash_key)) {
    problems.push({
      key: "table_hash_key",
      value: c.table_hash_key,
      rule: `must not be one of the attributes the backend writes itself (${RESERVED_ATTRIBUTE_NAMES.join(", ")})`,
    });
  }
  return problems;
}

/** Lambda function and IAM role names: AWS refuses longer ones at apply time. */
const AWS_NAME_MAX = 64;
/** What the app stack appends to the VPC name (and stage) for its flow-log role, before the region. */
export const FLOW_LOG_ROLE_SUFFIX = "-vpc-flow-log";

/**
 * Names AWS would refuse only at apply time, after part of the stack exists: names that the stage
 * suffix or a module suffix pushes past a limit, and a `lambda_name` ECR cannot take as a repository
 * name (it also names the image repository, lower-cased; ECR wants single separators between
 * letters and digits).
 */
function nameLimitProblems(c: ParsedConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const suffix = c.stage === DEFAULT_STAGE ? "" : `-${c.stage}`;
  const regional = `-${c.aws_region}`; // IAM names are account-wide: roles carry the region
  const room = (extra: string) => AWS_NAME_MAX - suffix.length - extra.length;
  const named = { ...c, isDefaultStage: c.stage === DEFAULT_STAGE };
  if (lambdaRoleName(named).length > AWS_NAME_MAX) {
    problems.push({
      key: "lambda_name",
      value: c.lambda_name,
      rule: `must be at most ${room(regional)} characters with stage "${c.stage}" in ${c.aws_region} (its IAM role is named "<lambda_name>${suffix}${regional}", and IAM allows ${AWS_NAME_MAX})`,
    });
  } else if (!/^[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$/.test(c.lambda_name)) {
    problems.push({
      key: "lambda_name",
      value: c.lambda_name,
      rule: "must start and end with a letter or digit, with no two '-'/'_' in a row (it also names the ECR repository)",
    });
  }
  if (c.spend_stop && spendStopRoleName(named).length > AWS_NAME_MAX) {
    problems.push({
      key: "project_name",
      value: c.project_name,
      rule: `must be at most ${room(SPEND_STOP_SUFFIX + regional)} characters with spend_stop and stage "${c.stage}" in ${c.aws_region} (the spend stop's IAM role is named "<project_name>${SPEND_STOP_SUFFIX}${suffix}${regional}", and IAM allows ${AWS_NAME_MAX})`,
    });
  }
  if (c.vpc_deploy && c.vpc_flow_logs && flowLogRoleName(named).length > AWS_NAME_MAX) {
    problems.push({
      key: "vpc_name",
      value: c.vpc_name,
      rule: `must be at most ${room(FLOW_LOG_ROLE_SUFFIX + regional)} characters with vpc_flow_logs and stage "${c.stage}" in ${c.aws_region} (the flow-log role is named "<vpc_name>${suffix}${FLOW_LOG_ROLE_SUFFIX}${regional}", and IAM allows ${AWS_NAME_MAX})`,
    });
  }
  return problems;
}

/** What makes a preview stage cheap to keep and free to destroy (docs/github.md, "Preview stages"). */
function previewOverrides(c: Pick<ParsedConfig, "logs_retention" | "ecr_keep_images">) {
  return {
    table_deletion_protection: false,
    table_point_in_time_recovery: false,
    logs_retention: Math.min(c.logs_retention, PREVIEW_LOG_RETENTION_DAYS) as (typeof LOG_RETENTION_DAYS)[number],
    ecr_keep_images: Math.min(c.ecr_keep_images, PREVIEW_KEEP_IMAGES),
  };
}

/** Parses raw JSON into the typed config, or returns every problem found. */
export function parseConfig(raw: unknown): { ok: true; config: AppConfig } | { ok: false; problems: ConfigProblem[] } {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, problems: [{ key: "(config)", value: raw, rule: "must be a JSON object" }] };
  }
  // Unknown keys are checked here rather than by the schema, so every one of them is reported.
  const problems: ConfigProblem[] = Object.keys(raw)
    .filter((key) => !CONFIG_KEYS.includes(key))
    .map((key) => ({ key, value: (raw as Record<string, unknown>)[key], rule: unknownKeyRule(key) }));
  const result = v.safeParse(configSchema, raw, { abortPipeEarly: true });
  if (!result.success || problems.length) {
    const seen = new Set<string>();
    for (const issue of result.success ? [] : result.issues) {
      const key = keyOf(issue);
      if (seen.has(key)) continue; // one message per key
      seen.add(key);
      problems.push({ key, value: issue.input, rule: issue.message });
    }
    return { ok: false, problems };
  }
  const parsed = result.output;
  const crossKey = crossKeyProblems(parsed, raw as Record<string, unknown>);
  if (crossKey.length) return { ok: false, problems: crossKey };
  const preview = parsed.preview ?? PREVIEW_STAGE_RE.test(parsed.stage);
  return {
    ok: true,
    config: {
      ...parsed,
      ...(preview ? previewOverrides(parsed) : {}),
      preview,
      frontend_bucket_name: parsed.frontend_bucket_name,
      isDefaultStage: parsed.stage === DEFAULT_STAGE,
    },
  };
}

/**
 * Reads the config file named by APP_CONFIG (no variable: all defaults). APP_IMAGE_TAG, when set,
 * overrides `image_tag` so the deploy can pin the image it just pushed without editing the file.
 * Throws ConfigError listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const file = env.APP_CONFIG;
  let raw: unknown = {};
  const source = file ? file : "defaults (APP_CONFIG not set)";
  if (file) {
    try {
      raw = readConfigFile(file);
    } catch (e) {
      if (!(e instanceof ConfigFileError)) throw e;
      throw new ConfigError([{ key: "APP_CONFIG", value: file, rule: e.rule }], source);
    }
  }
  if (env.APP_IMAGE_TAG && raw && typeof raw === "object" && !Array.isArray(raw)) {
    raw = { ...raw, image_tag: env.APP_IMAGE_TAG };
  }
  // The deploy finds the shared state bucket (it needs the account) and hands its name to the synth here,
  // so a synth without AWS stays possible; a state_bucket in the file wins, local state ignores it.
  if (env.APP_STATE_BUCKET && raw && typeof raw === "object" && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    if (r.state_bucket === undefined && r.state_backend !== "local") raw = { ...r, state_bucket: env.APP_STATE_BUCKET };
  }
  const result = parseConfig(raw);
  if (!result.ok) throw new ConfigError(result.problems, source);
  return result.config;
}

/** Stack ids: the stage rides along unless it is the default, so stages coexist in one account. */
export function stackIds(config: Pick<AppConfig, "stage" | "isDefaultStage">): { registry: string; app: string } {
  const suffix = config.isDefaultStage ? "" : `-${config.stage}`;
  return { registry: `registry${suffix}`, app: `app${suffix}` };
}

/** Resource names that must be unique per account/region carry the stage unless it is the default. */
export function stageName(config: Pick<AppConfig, "stage" | "isDefaultStage">, base: string): string {
  return config.isDefaultStage ? base : `${base}-${config.stage}`;
}

/**
 * Names unique across the whole account, not per region (IAM roles, CloudFront policies and
 * origin access controls, CloudFront web ACLs, budgets): the stage name plus the region, so the
 * same stage in two regions never collides.
 */
type NamingConfig = Pick<AppConfig, "stage" | "isDefaultStage" | "aws_region">;

/** The function's execution role: `<lambda_name>[-<stage>]-<region>`. */
export function lambdaRoleName(config: NamingConfig & Pick<AppConfig, "lambda_name">): string {
  return accountWideName(config, config.lambda_name);
}

/** The VPC flow-log role: `<vpc_name>[-<stage>]-vpc-flow-log-<region>`. */
export function flowLogRoleName(config: NamingConfig & Pick<AppConfig, "vpc_name">): string {
  return `${stageName(config, config.vpc_name)}${FLOW_LOG_ROLE_SUFFIX}-${config.aws_region}`;
}

/** What names the spend stop's topic, function and role: `<project_name>-spend-stop`. */
export const SPEND_STOP_SUFFIX = "-spend-stop";

/** The spend stop's function (regional name): `<project>-spend-stop[-<stage>]`. */
export function spendStopName(config: Pick<AppConfig, "stage" | "isDefaultStage" | "project_name">): string {
  return stageName(config, `${config.project_name}${SPEND_STOP_SUFFIX}`);
}

/** The spend stop's execution role: `<project>-spend-stop[-<stage>]-<region>`. */
export function spendStopRoleName(config: NamingConfig & Pick<AppConfig, "project_name">): string {
  return accountWideName(config, `${config.project_name}${SPEND_STOP_SUFFIX}`);
}

export function accountWideName(config: NamingConfig, base: string): string {
  return `${stageName(config, base)}-${config.aws_region}`;
}
