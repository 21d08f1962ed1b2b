/** CloudFront (by price class and viewer region), its functions, WAF and Route 53. */

import { isExpression, many } from "../lib/tf-model.js";
import type { PricingContext } from "./context.js";
import { label } from "./ledger.js";
import { CF_NA_DTO_TIERS, CLOUDFRONT_REGIONS, CLOUDFRONT_SOURCE, type CloudFrontRegion, costOf, PRICE_CLASS_REGIONS } from "./prices.js";

const PROVIDER_DEFAULT_PRICE_CLASS = "PriceClass_All";

/** Which edge region bills each viewer region's share under a price class. */
export function servedShares(priceClass: string, viewers: Partial<Record<CloudFrontRegion, number>>): Map<CloudFrontRegion, number> {
  const allowed = PRICE_CLASS_REGIONS[priceClass] ?? PRICE_CLASS_REGIONS[PROVIDER_DEFAULT_PRICE_CLASS]!;
  const served = new Map<CloudFrontRegion, number>();
  for (const [region, share] of Object.entries(viewers) as [CloudFrontRegion, number][]) {
    if (!share) continue;
    const edge = allowed.includes(region) ? region : "na";
    served.set(edge, (served.get(edge) ?? 0) + share);
  }
  return served;
}

const dtoCost = (region: CloudFrontRegion, gb: number) =>
  region === "na" || region === "eu"
    ? costOf({ usd: 0.085, per: 1, unit: "GB", tiers: CF_NA_DTO_TIERS, source: CLOUDFRONT_SOURCE }, gb)
    : gb * CLOUDFRONT_REGIONS[region].dto;

const money = (n: number) => `$${+n.toFixed(4)}`;

export function priceCloudFront(ctx: PricingContext): void {
  const { ledger, traffic, derived } = ctx;
  const distributions = ctx.ofType("aws_cloudfront_distribution");
  if (distributions.length > 1) ledger.warn(`${distributions.length} CloudFront distributions: web traffic split evenly between them`);
  for (const d of distributions) {
    let priceClass = d.body.price_class ?? PROVIDER_DEFAULT_PRICE_CLASS;
    if (typeof priceClass !== "string" || isExpression(priceClass) || !PRICE_CLASS_REGIONS[priceClass]) {
      ledger.warn(`${label(d)}: price_class is ${JSON.stringify(priceClass)}; priced as PriceClass_All`);
      priceClass = PROVIDER_DEFAULT_PRICE_CLASS;
    }
    const served = servedShares(priceClass as string, traffic.viewers);
    const outside = Object.keys(traffic.viewers).filter((r) => !PRICE_CLASS_REGIONS[priceClass as string]!.includes(r as CloudFrontRegion));
    const mix = [...served].map(([r, s]) => `${r} ${+(100 * s).toFixed(1)}%`).join(", ");
    const note = `${priceClass}; billed at edges: ${mix}${outside.length ? ` (${outside.join(", ")} viewers served from North America)` : ""}`;

    const gb = derived.cdnGb / distributions.length;
    const freeGb = ledger.takeFree("cloudfrontGb", gb);
    const dtoUsd = [...served].reduce((sum, [r, s]) => sum + dtoCost(r, (gb - freeGb) * s), 0);
    const dtoRate = [...served].reduce((sum, [r, s]) => sum + CLOUDFRONT_REGIONS[r].dto * s, 0);
    ledger.charge({
      service: "CloudFront",
      item: `data out (${traffic.pageKb} KB/visit)`,
      blocks: [d],
      quantity: gb,
      price: { usd: dtoRate, per: 1, unit: "GB", source: CLOUDFRONT_SOURCE },
      usd: dtoUsd,
      unitPrice: `${money(dtoRate)} / GB${served.size > 1 ? " (blend)" : ""}`,
      free: "cloudfrontGb",
      freeTaken: freeGb,
      note,
    });

    const requests = derived.cdnRequests / distributions.length;
    const freeRequests = ledger.takeFree("cloudfrontRequests", requests);
    const httpsRate = [...served].reduce((sum, [r, s]) => sum + CLOUDFRONT_REGIONS[r].https * s, 0);
    ledger.charge({
      service: "CloudFront",
      item: `HTTPS requests (${traffic.requestsPerVisit}/visit)`,
      blocks: [d],
      quantity: requests,
      price: { usd: httpsRate, per: 10_000, unit: "requests", source: CLOUDFRONT_SOURCE },
      usd: ((requests - freeRequests) / 10_000) * httpsRate,
      unitPrice: `${money(httpsRate)} / 10k requests${served.size > 1 ? " (blend)" : ""}`,
      free: "cloudfrontRequests",
      freeTaken: freeRequests,
    });
    if (many(d.body.logging_config).length) ledger.warn(`${label(d)}: standard access logs go to S3 (log bucket storage not priced)`);
  }
  for (const fn of ctx.ofType("aws_cloudfront_function")) {
    ledger.charge({
      service: "CloudFront",
      item: "function invocations (every viewer request)",
      blocks: [fn],
      quantity: derived.cdnRequests,
      price: "cloudfrontFunction",
      free: "cloudfrontFunctions",
    });
  }
}

export function priceWaf(ctx: PricingContext): void {
  const { ledger, traffic, derived } = ctx;
  for (const acl of ctx.ofType("aws_wafv2_web_acl")) {
    const rules = many(acl.body.rule);
    const cloudfront = acl.body.scope === "CLOUDFRONT";
    ledger.charge({ service: "WAF", item: "web ACL", blocks: [acl], quantity: 1, price: "wafWebAcl" });
    ledger.charge({ service: "WAF", item: `rules (${rules.length})`, blocks: [acl], quantity: rules.length, price: "wafRule" });
    ledger.charge({
      service: "WAF",
      item: `requests inspected (${cloudfront ? "every CloudFront request" : "every API request"})`,
      blocks: [acl],
      quantity: cloudfront ? derived.cdnRequests : traffic.requests,
      price: "wafRequests",
    });
    const extra = JSON.stringify(rules).match(/BotControl|ATP|ACFP|AntiDDoS/g);
    if (extra)
      ledger.warn(
        `${label(acl)}: managed rule group(s) ${[...new Set(extra)].join(", ")} carry their own subscription and request fees (not priced)`,
      );
  }
}

export function priceRoute53(ctx: PricingContext): void {
  const { ledger } = ctx;
  const seen = new Map<string, number>();
  for (const zone of [...ctx.ofType("aws_route53_zone", "data"), ...ctx.ofType("aws_route53_zone")]) {
    const name = typeof zone.body.name === "string" ? zone.body.name.replace(/\.$/, "") : zone.address;
    if (seen.has(name)) {
      ledger.markBilled(zone);
      ledger.lines[seen.get(name)!]!.resources.push(label(zone));
      continue;
    }
    const lookedUp = zone.mode === "data";
    ledger.charge({
      service: "Route 53",
      item: `hosted zone ${name}`,
      blocks: [zone],
      quantity: 1,
      price: "route53Zone",
      note: lookedUp
        ? "looked up, not created: the domain's existing zone, billed whether or not these stacks exist"
        : "created by the stack",
    });
    seen.set(name, ledger.lines.length - 1);
  }
  for (const record of ctx.ofType("aws_route53_record")) {
    ledger.markFree(
      record,
      record.body.alias ? "alias record: queries free" : "non-alias record (e.g. certificate validation): $0.40 per 1M queries, ~0",
    );
  }
}
