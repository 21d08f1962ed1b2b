/**
 * The traffic profile an estimate is priced for, and the `npm run cost` flags that set it.
 * Defaults are the worked bill's (docs/cost.md, "The worked bill") so a bare run reproduces it.
 */
import { parseCommandLine, UsageError } from "../lib/cli.js";
import { CLOUDFRONT_REGIONS, type CloudFrontRegion } from "./prices.js";

export interface TrafficProfile {
  /** API requests per month (each invokes the function once). */
  requests: number;
  /** Average billed Lambda duration per request, ms. */
  durationMs: number;
  /** DynamoDB item size, KB; each API request reads and writes one item. */
  itemKb: number;
  /** Web page weight per visit, KB (decimal: 1 GB = 1,000,000 KB). */
  pageKb: number;
  /** API calls per visit: visits = requests / callsPerVisit. */
  callsPerVisit: number;
  /** CloudFront requests per visit (HTML, JS, CSS, images, config.json). */
  requestsPerVisit: number;
  /** Share of CloudFront requests answered from the edge cache (the rest GET from S3). */
  cacheHit: number;
  /** CloudWatch log volume per API request, KB (function + access logs). */
  logKb: number;
  /** Share of web viewers per CloudFront billing region; sums to 1. */
  viewers: Partial<Record<CloudFrontRegion, number>>;
  /** Monthly active users of the user pool (with `auth: "cognito"`): each who signs in or refreshes a token in the month. */
  mau: number;
  /** Items written per API request, on average. @default 1 (every request writes one item) */
  writesPerRequest?: number;
  /** DynamoDB read request units per API request, on average. @default one strongly consistent read of one item */
  readUnitsPerRequest?: number;
}

export const DEFAULT_TRAFFIC: TrafficProfile = {
  requests: 1_000_000,
  durationMs: 100,
  itemKb: 1,
  pageKb: 2000,
  callsPerVisit: 10,
  requestsPerVisit: 20,
  cacheHit: 0.95,
  logKb: 0.5,
  viewers: { na: 1 },
  mau: 1000,
};

/** Fixed assumptions of the worked bill that have no flag; printed with every estimate. */
export const FIXED_ASSUMPTIONS = {
  /** Size of the built web app in the bucket, MB. */
  siteMb: 50,
  /** Compressed size of one container image, GB; storage = images kept by the lifecycle policy x this. */
  imageGb: 0.1,
  /** ECR storage when no lifecycle policy caps the repository, GB. */
  uncappedEcrGb: 1,
  /** API response size, KB (API data goes out of API Gateway, not CloudFront). */
  responseKb: 2,
  /** Archived logs are billed gzip-compressed; JSON logs compress about 6-7x. [assumption] */
  logCompression: 0.15,
  /** Log groups without retention keep a year of logs in this estimate. */
  neverExpireMonths: 12,
  /** Traffic through a NAT gateway when a stack has one (image pulls, egress), GB. */
  natGb: 5,
  /** Traffic through each interface endpoint, GB (tiny for control-plane calls). */
  endpointGb: 1,
  /** Alarm e-mails per topic and month (each state change mails twice: ALARM, then OK). [assumption] */
  alarmEmails: 40,
  /** Spend-stop runs a month (the budget alerts once per period; retries and a resume-then-alert counted in). [assumption] */
  spendStopRuns: 3,
} as const;

export interface CostOptions {
  traffic: TrafficProfile;
  /** Price every API route at its throttle limit all month instead of `traffic.requests`. */
  worstCase: boolean;
  json: boolean;
  /** Price stacks already synthesized here instead of (re)synthesizing cdktf.out. */
  outdir?: string;
  /** Price this stage of the config (its stage-dependent defaults, e.g. a preview's). @default the config's */
  stage?: string;
}

export { UsageError };

const SUFFIX: Record<string, number> = { "": 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, b: 1e9, B: 1e9 };

/** "10M", "1e6", "1_000_000", "2.5k" -> number; anything else (incl. negatives) is refused. */
function parseAmount(flag: string, text: string, rule: { min?: number; max?: number; positive?: boolean; hint?: string }): number {
  const m = /^(\d[\d_,]*(?:\.\d+)?(?:e\d+)?|\.\d+)([kKmMbB]?)$/.exec(text.trim());
  const value = m ? Number(m[1]!.replace(/[_,]/g, "")) * SUFFIX[m[2]!]! : NaN;
  const hint = rule.hint ? ` (${rule.hint})` : "";
  if (!Number.isFinite(value)) throw new UsageError(`--${flag}: ${JSON.stringify(text)} is not a non-negative number${hint}`);
  if (rule.positive && value <= 0) throw new UsageError(`--${flag}: must be greater than 0, got ${text}${hint}`);
  if (rule.min !== undefined && value < rule.min) throw new UsageError(`--${flag}: must be at least ${rule.min}, got ${text}${hint}`);
  if (rule.max !== undefined && value > rule.max) throw new UsageError(`--${flag}: must be at most ${rule.max}, got ${text}${hint}`);
  return value;
}

function parseViewers(text: string): Partial<Record<CloudFrontRegion, number>> {
  const known = Object.keys(CLOUDFRONT_REGIONS);
  const viewers: Partial<Record<CloudFrontRegion, number>> = {};
  for (const part of text.split(",")) {
    const [key, share, extra] = part.split("=");
    if (!key || share === undefined || extra !== undefined || !known.includes(key)) {
      throw new UsageError(`--viewers: ${JSON.stringify(part)} must be <region>=<share> with region one of ${known.join(", ")}`);
    }
    viewers[key as CloudFrontRegion] = parseAmount("viewers", share, { max: 1, hint: "a share from 0 to 1" });
  }
  const sum = Object.values(viewers).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) throw new UsageError(`--viewers: shares must add up to 1, got ${+sum.toFixed(6)}`);
  return viewers;
}

export const USAGE = `Usage: npm run cost -- [flags]

Estimates the monthly AWS bill of the synthesized stacks (synthesizing first when cdktf.out is
missing, older than main.ts, stacks/ or modules/, or made from another config than APP_CONFIG's).

Traffic (defaults: the worked bill in docs/cost.md):
  --requests N            API requests per month (k/M/B suffixes ok)        [${DEFAULT_TRAFFIC.requests}]
  --duration-ms N         average Lambda duration per request, ms          [${DEFAULT_TRAFFIC.durationMs}]
  --item-kb N             DynamoDB item size; each request = 1 read + 1 write [${DEFAULT_TRAFFIC.itemKb}]
  --page-kb N             web page weight per visit, KB                    [${DEFAULT_TRAFFIC.pageKb}]
  --calls-per-visit N     API calls per visit (visits = requests / N)      [${DEFAULT_TRAFFIC.callsPerVisit}]
  --requests-per-visit N  CloudFront requests per visit                    [${DEFAULT_TRAFFIC.requestsPerVisit}]
  --cache-hit F           CloudFront cache hit ratio, 0..1                 [${DEFAULT_TRAFFIC.cacheHit}]
  --log-kb N              CloudWatch log volume per API request, KB        [${DEFAULT_TRAFFIC.logKb}]
  --viewers R=F,...       web viewers per CloudFront region (${Object.keys(CLOUDFRONT_REGIONS).join(", ")}) [na=1]
  --mau N                 monthly active users of the user pool (auth: "cognito") [${DEFAULT_TRAFFIC.mau}]
Worst case:
  --worst-case            every API route at its throttle limit all month (the bill's ceiling);
                          the other traffic flags still apply, --requests does not
Output:
  --json                  the same estimate as JSON
  --outdir DIR            price the stacks synthesized in DIR as they are (no synth)
  --stage NAME            price this stage of the config (e.g. pr-1: an idle pull request preview
                          with --requests 0; docs/github.md); not with --outdir
  -h, --help              this text
`;

export const COST_FLAGS = {
  requests: { type: "string" },
  "duration-ms": { type: "string" },
  "item-kb": { type: "string" },
  "page-kb": { type: "string" },
  "calls-per-visit": { type: "string" },
  "requests-per-visit": { type: "string" },
  "cache-hit": { type: "string" },
  "log-kb": { type: "string" },
  viewers: { type: "string" },
  mau: { type: "string" },
  json: { type: "boolean", default: false },
  "worst-case": { type: "boolean", default: false },
  outdir: { type: "string" },
  stage: { type: "string" },
} as const;

/** Parses `npm run cost` flags strictly: unknown flags, stray arguments and bad numbers throw UsageError. */
export function parseCostArgs(argv: readonly string[]): CostOptions {
  return costOptions(parseCommandLine(argv, COST_FLAGS).values);
}

/** The traffic profile and output choices the parsed flags name; a bad value throws UsageError. */
export function costOptions(v: ReturnType<typeof parseCommandLine<typeof COST_FLAGS>>["values"]): CostOptions {
  const t: TrafficProfile = { ...DEFAULT_TRAFFIC };
  if (v.requests !== undefined) t.requests = parseAmount("requests", v.requests, {});
  if (v["duration-ms"] !== undefined)
    t.durationMs = parseAmount("duration-ms", v["duration-ms"], { max: 900_000, hint: "Lambda runs at most 15 minutes" });
  if (v["item-kb"] !== undefined)
    t.itemKb = parseAmount("item-kb", v["item-kb"], { positive: true, max: 400, hint: "DynamoDB items are at most 400 KB" });
  if (v["page-kb"] !== undefined) t.pageKb = parseAmount("page-kb", v["page-kb"], {});
  if (v["calls-per-visit"] !== undefined) t.callsPerVisit = parseAmount("calls-per-visit", v["calls-per-visit"], { positive: true });
  if (v["requests-per-visit"] !== undefined) t.requestsPerVisit = parseAmount("requests-per-visit", v["requests-per-visit"], {});
  if (v["cache-hit"] !== undefined)
    t.cacheHit = parseAmount("cache-hit", v["cache-hit"], { max: 1, hint: "a ratio from 0 to 1, e.g. 0.95" });
  if (v["log-kb"] !== undefined) t.logKb = parseAmount("log-kb", v["log-kb"], {});
  if (v.viewers !== undefined) t.viewers = parseViewers(v.viewers);
  if (v.mau !== undefined) t.mau = parseAmount("mau", v.mau, {});
  if (v.outdir !== undefined && !v.outdir.trim()) throw new UsageError("--outdir: must name a directory");
  if (v.stage !== undefined && v.outdir !== undefined) {
    throw new UsageError("--stage synthesizes that stage's stacks; --outdir prices stacks already synthesized: use one");
  }
  if (v["worst-case"] && v.requests !== undefined) {
    throw new UsageError("--worst-case takes the request count from the API's throttle limits; drop --requests");
  }
  return { traffic: t, worstCase: v["worst-case"] ?? false, json: v.json ?? false, outdir: v.outdir, stage: v.stage };
}
