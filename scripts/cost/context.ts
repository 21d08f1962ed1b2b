/**
 * What every pricer needs: the blocks, the traffic profile with the quantities derived from it,
 * the ledger, and lookups that follow `${type.name...}` references inside a stack.
 */

import { referencesIn, type TfBlock } from "../lib/tf-model.js";
import type { Ledger } from "./ledger.js";
import type { SynthesizedStacks } from "./stacks.js";
import type { TrafficProfile } from "./traffic.js";

export interface DerivedTraffic {
  /** Web visits per month. */
  visits: number;
  /** CloudFront HTTPS requests per month. */
  cdnRequests: number;
  /** CloudFront data out per month, GB (decimal). */
  cdnGb: number;
  /** Cache misses: S3 GETs from CloudFront. */
  originGets: number;
}

export function deriveTraffic(t: TrafficProfile): DerivedTraffic {
  const visits = t.requests / t.callsPerVisit;
  const cdnRequests = visits * t.requestsPerVisit;
  return { visits, cdnRequests, cdnGb: (visits * t.pageKb) / 1e6, originGets: cdnRequests * (1 - t.cacheHit) };
}

export class PricingContext {
  readonly derived: DerivedTraffic;
  private readonly byAddress = new Map<string, TfBlock>();

  constructor(
    readonly stacks: SynthesizedStacks,
    readonly traffic: TrafficProfile,
    readonly ledger: Ledger,
  ) {
    this.derived = deriveTraffic(traffic);
    for (const b of stacks.blocks) this.byAddress.set(`${b.stack}|${b.address}`, b);
  }

  /** Resources (or data sources) of one type, across stacks. */
  ofType(type: string, mode: "resource" | "data" = "resource"): TfBlock[] {
    return this.stacks.blocks.filter((b) => b.type === type && b.mode === mode);
  }

  /** Blocks of the same stack that `value` references. */
  referenced(from: TfBlock, value: unknown, type?: string): TfBlock[] {
    const found: TfBlock[] = [];
    for (const address of referencesIn(value)) {
      const b = this.byAddress.get(`${from.stack}|${address}`);
      if (b && (!type || b.type === type)) found.push(b);
    }
    return found;
  }

  /** True when `block` references `target` (same stack) anywhere in its attributes. */
  references(block: TfBlock, target: TfBlock): boolean {
    return block.stack === target.stack && referencesIn(block.body).has(target.address);
  }
}
