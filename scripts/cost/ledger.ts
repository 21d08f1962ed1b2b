/**
 * Collects an estimate while the pricers walk the stacks: priced lines, free resources, resources
 * that cannot be priced, warnings, and the account-wide always-free allowances they draw from.
 * Every block must end up in exactly one of lines/free/unpriced, so nothing is dropped silently.
 */

import type { TfBlock } from "../lib/tf-model.js";
import { ALWAYS_FREE, costOf, describePrice, type FreeAllowanceId, PRICES, type Price, type PriceId } from "./prices.js";

export interface LineItem {
  /** AWS service, e.g. "Lambda". */
  service: string;
  /** What is billed, e.g. "requests", "duration (arm64, 256 MB)". */
  item: string;
  /** `<stack>: <address>` of the resources the line bills. */
  resources: string[];
  quantity: number;
  unit: string;
  /** The first-band unit price as quoted, e.g. "$0.20 / 1M requests". */
  unitPrice: string;
  source: string;
  /** Units of an always-free allowance this line used (0 when none). */
  freeApplied: number;
  /** Which allowance, when one applies. */
  freeAllowance?: FreeAllowanceId;
  usd: number;
  note?: string;
}

export interface ListedResource {
  resource: string;
  type: string;
  /** Why it is free or why it cannot be priced. */
  reason?: string;
}

export interface ChargeInput {
  service: string;
  item: string;
  blocks: TfBlock[];
  quantity: number;
  price: PriceId | Price;
  free?: FreeAllowanceId;
  /** Allowance already drawn with takeFree (pricers that blend prices draw it themselves). */
  freeTaken?: number;
  /** Replaces costOf(price, billable) when the pricer blends several prices (CloudFront regions). */
  usd?: number;
  unitPrice?: string;
  note?: string;
}

export const label = (b: TfBlock) => `${b.stack}: ${b.address}`;

export class Ledger {
  readonly lines: LineItem[] = [];
  readonly free: ListedResource[] = [];
  readonly unpriced: ListedResource[] = [];
  readonly warnings: string[] = [];
  private readonly pools = new Map<FreeAllowanceId, number>(
    Object.entries(ALWAYS_FREE).map(([id, a]) => [id as FreeAllowanceId, a.amount]),
  );
  private readonly accounted = new Set<TfBlock>();

  /** Draws up to `quantity` from an account-wide allowance; returns what it covered. */
  takeFree(id: FreeAllowanceId, quantity: number): number {
    const left = this.pools.get(id) ?? 0;
    const taken = Math.min(left, Math.max(0, quantity));
    this.pools.set(id, left - taken);
    return taken;
  }

  charge(c: ChargeInput): LineItem {
    const price: Price = typeof c.price === "string" ? PRICES[c.price] : c.price;
    const freeApplied = c.freeTaken ?? (c.free ? this.takeFree(c.free, c.quantity) : 0);
    const line: LineItem = {
      service: c.service,
      item: c.item,
      resources: [...new Set(c.blocks.map(label))],
      quantity: c.quantity,
      unit: price.unit,
      unitPrice: c.unitPrice ?? describePrice(price),
      source: price.source,
      freeApplied,
      ...(c.free ? { freeAllowance: c.free } : {}),
      usd: c.usd ?? costOf(price, c.quantity - freeApplied),
      ...(c.note ? { note: c.note } : {}),
    };
    this.lines.push(line);
    for (const b of c.blocks) this.accounted.add(b);
    return line;
  }

  /** A resource that costs nothing (or only what other lines already bill). */
  markFree(block: TfBlock, reason?: string): void {
    if (this.accounted.has(block)) return;
    this.accounted.add(block);
    this.free.push({ resource: label(block), type: block.type, ...(reason ? { reason } : {}) });
  }

  markUnpriced(block: TfBlock, reason: string): void {
    if (this.accounted.has(block)) return;
    this.accounted.add(block);
    this.unpriced.push({ resource: label(block), type: block.type, reason });
  }

  /** Counts a block as billed by lines already written (e.g. a table billed per request). */
  markBilled(block: TfBlock): void {
    this.accounted.add(block);
  }

  isAccounted(block: TfBlock): boolean {
    return this.accounted.has(block);
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  get total(): number {
    return this.lines.reduce((sum, l) => sum + l.usd, 0);
  }
}
