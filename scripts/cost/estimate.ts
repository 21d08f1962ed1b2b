/**
 * Prices what synthesized stacks declare for a traffic profile: every block ends as a priced
 * line, a free resource, or a resource that cannot be priced (with the reason).
 */
import { type ClassicEstimate, classicAlternative } from "./classic.js";
import { type DerivedTraffic, PricingContext } from "./context.js";
import { freeReason } from "./free-resources.js";
import { Ledger, type LineItem, type ListedResource, label } from "./ledger.js";
import { priceCognito } from "./price-auth.js";
import { priceApiGateway, priceLambda } from "./price-compute.js";
import { priceDynamoDb, priceS3 } from "./price-data.js";
import { priceCloudFront, priceRoute53, priceWaf } from "./price-edge.js";
import { priceNetwork } from "./price-network.js";
import { priceAlarms, priceEcr, priceKms, priceLogs } from "./price-ops.js";
import { priceSpendStop } from "./price-spend-stop.js";
import { PRICE_REGION, PRICE_TABLE_DATE } from "./prices.js";
import type { SynthesizedStacks } from "./stacks.js";
import { FIXED_ASSUMPTIONS, type TrafficProfile } from "./traffic.js";
import { routeDynamoUnits, type WorstCase, worstCase } from "./worst-case.js";

export interface Estimate {
  priceTableDate: string;
  priceRegion: string;
  outdir: string;
  stacks: string[];
  traffic: TrafficProfile;
  derived: DerivedTraffic;
  assumptions: string[];
  lines: LineItem[];
  totalUsd: number;
  free: ListedResource[];
  unpriced: ListedResource[];
  warnings: string[];
  classic: ClassicEstimate;
  /** Set by estimateWorstCase: the throttle limits the request count comes from. */
  worstCase?: WorstCase;
}

/** In order: later pricers read what earlier ones decided (e.g. which function the API calls). */
const PRICERS = [
  priceSpendStop,
  priceLambda,
  priceApiGateway,
  priceDynamoDb,
  priceS3,
  priceCloudFront,
  priceWaf,
  priceRoute53,
  priceLogs,
  priceEcr,
  priceKms,
  priceAlarms,
  priceCognito,
  priceNetwork,
];

export function estimateCost(stacks: SynthesizedStacks, traffic: TrafficProfile): Estimate {
  const ledger = new Ledger();
  // `count = 0` blocks are declared but never created.
  const created = stacks.blocks.filter((b) => {
    if (b.body.count === 0 || b.body.count === "0") ledger.markFree(b, "count = 0: not created");
    return !ledger.isAccounted(b);
  });
  const ctx = new PricingContext({ ...stacks, blocks: created }, traffic, ledger);
  for (const price of PRICERS) price(ctx);
  // Several instances of a priced block are priced as one: say so (free ones do not matter).
  const priced = new Set(ledger.lines.flatMap((l) => l.resources));
  for (const b of created.filter((b) => priced.has(label(b)))) {
    const count = b.body.count;
    if (count !== undefined && count !== 1) ledger.warn(`${label(b)}: count = ${JSON.stringify(count)}; priced as one instance`);
    if (b.body.for_each !== undefined) ledger.warn(`${label(b)}: for_each instances are unknown here; priced as one instance`);
  }

  for (const b of created) {
    if (ledger.isAccounted(b)) continue;
    if (b.mode === "data") {
      ledger.markFree(b, "data source: a lookup");
      continue;
    }
    const reason = freeReason(b.type, b.body);
    if (reason) ledger.markFree(b, reason);
    else ledger.markUnpriced(b, "no price rule for this resource type");
  }
  for (const [stack, region] of Object.entries(stacks.regions)) {
    if (region === undefined) ledger.warn(`stack ${stack}: the AWS provider region is not a literal; prices are ${PRICE_REGION}`);
    else if (region !== PRICE_REGION) ledger.warn(`stack ${stack} deploys to ${region}; prices are ${PRICE_REGION} (other regions differ)`);
  }

  return {
    priceTableDate: PRICE_TABLE_DATE,
    priceRegion: PRICE_REGION,
    outdir: stacks.outdir,
    stacks: stacks.stackIds,
    traffic,
    derived: ctx.derived,
    assumptions: [
      "on-demand list prices; the account is past the 12-month free tier, always-free allowances applied",
      "each API request invokes the function once and does 1 DynamoDB read + 1 write of one item",
      `site size = the objects the stack uploads (${FIXED_ASSUMPTIONS.siteMb} MB when unknown); ${FIXED_ASSUMPTIONS.imageGb} GB per kept container image; ${FIXED_ASSUMPTIONS.responseKb} KB API responses`,
      `archived logs billed gzip-compressed at ${FIXED_ASSUMPTIONS.logCompression * 100}% of ingest`,
      "DynamoDB storage = this month's writes as new items (month one)",
    ],
    lines: ledger.lines,
    totalUsd: ledger.total,
    free: ledger.free,
    unpriced: ledger.unpriced,
    warnings: ledger.warnings,
    classic: classicAlternative(ledger.lines, traffic),
  };
}

/**
 * The bill with every API route at its throttle limit all month. Web visits stay those of
 * `traffic` (a flood of API calls loads no pages; CloudFront is not behind the API's throttle).
 */
export function estimateWorstCase(stacks: SynthesizedStacks, traffic: TrafficProfile): Estimate {
  const warnings: string[] = [];
  const limits = worstCase(stacks, (m) => warnings.push(m));
  const visits = traffic.requests / traffic.callsPerVisit;
  // Each route at its limit does its own DynamoDB work (worst-case.ts: what each route reads and writes).
  const units = limits.routes.map((r) => ({ rate: r.requestsPerSecond, ...routeDynamoUnits(r.routeKey, traffic.itemKb) }));
  const perRequest = (pick: (u: (typeof units)[number]) => number) =>
    units.reduce((sum, u) => sum + u.rate * pick(u), 0) / limits.requestsPerSecond;
  const flood: TrafficProfile = {
    ...traffic,
    requests: limits.requests,
    callsPerVisit: visits > 0 ? limits.requests / visits : Infinity,
    writesPerRequest: perRequest((u) => u.itemsWritten),
    readUnitsPerRequest: perRequest((u) => u.readUnits),
  };
  const estimate = estimateCost(stacks, flood);
  estimate.warnings.unshift(...warnings);
  estimate.worstCase = limits;
  estimate.assumptions.unshift(
    `worst case: every API route at its throttle limit for all ${limits.seconds.toLocaleString("en-US")} s of the month ` +
      `(${limits.requestsPerSecond} requests/s in all), each doing its route's DynamoDB work (a list reads a full page); web visits as in the traffic profile`,
  );
  // The flat model's line no longer holds for this estimate.
  estimate.assumptions = estimate.assumptions.filter((a) => !a.startsWith("each API request invokes"));
  estimate.assumptions.splice(1, 0, "each API request invokes the function once");
  return estimate;
}
