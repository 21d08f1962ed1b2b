/** Renders an estimate as the text `npm run cost` prints (the JSON form is the Estimate itself). */
import type { Estimate } from "./estimate.js";
import type { LineItem } from "./ledger.js";
import { ALWAYS_FREE } from "./prices.js";

export const usd = (n: number) => `$${n.toFixed(2)}`;

/** 1,234,567 / 0.0123 / 250,000: integers grouped, fractions to three significant digits. */
export function quantity(n: number): string {
  if (n === 0) return "0";
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-US");
  return (+n.toPrecision(3)).toLocaleString("en-US", { maximumFractionDigits: 6 });
}

const short = (n: number) =>
  n >= 1e9 ? `${+(n / 1e9).toFixed(2)}B` : n >= 1e6 ? `${+(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : quantity(n);

function table(rows: string[][], rightAligned: Set<number>): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
}

function freeCell(l: LineItem): string {
  if (!l.freeAllowance) return "-";
  const of = ALWAYS_FREE[l.freeAllowance].amount;
  return `${quantity(l.freeApplied)} of ${short(of)}`;
}

/** Groups the free resources by type: "aws_iam_role x2, aws_vpc, ...". */
function compactTypes(items: { type: string }[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.type, (counts.get(i.type) ?? 0) + 1);
  return [...counts].map(([t, n]) => (n > 1 ? `${t} x${n}` : t)).join(", ");
}

export function formatEstimate(e: Estimate): string {
  const t = e.traffic;
  const out: string[] = [];
  out.push(`Monthly AWS cost estimate for stacks ${e.stacks.join(", ")} (${e.outdir})`);
  out.push(
    `Prices: ${e.priceRegion} on-demand list prices, table dated ${e.priceTableDate} (scripts/cost/prices.ts names a source per row)`,
  );
  const viewers = Object.entries(t.viewers)
    .map(([r, s]) => `${r} ${+(100 * s!).toFixed(1)}%`)
    .join(", ");
  out.push(
    `Traffic: ${short(t.requests)} API requests/month, ${t.durationMs} ms each, ${t.itemKb} KB items; ` +
      `${short(e.derived.visits)} visits of ${t.pageKb} KB, ${t.callsPerVisit} API calls and ${t.requestsPerVisit} CDN requests each, ` +
      `${+(100 * t.cacheHit).toFixed(2)}% cache hits; ${t.logKb} KB logs/request; viewers ${viewers}`,
  );
  if (e.worstCase) {
    const w = e.worstCase;
    out.push(
      `Worst case: every API route at its throttle limit all month: ${w.routes.map((r) => `${r.routeKey} ${r.requestsPerSecond}/s`).join(", ")} ` +
        `= ${w.requestsPerSecond} requests/s x ${w.seconds.toLocaleString("en-US")} s = ${short(w.requests)} requests`,
    );
  }
  out.push("");
  const rows: string[][] = [["Line item", "Quantity", "Unit price", "Free tier applied", "Monthly"]];
  const detail = new Map<number, string>();
  for (const l of e.lines) {
    rows.push([`${l.service}: ${l.item}`, `${quantity(l.quantity)} ${l.unit}`, l.unitPrice, freeCell(l), usd(l.usd)]);
    detail.set(rows.length - 1, `    ${l.resources.join(", ") || "(account-wide)"}${l.note ? ` - ${l.note}` : ""}`);
  }
  const rendered = table(rows, new Set([1, 4]));
  rendered.forEach((line, i) => {
    out.push(line);
    if (i === 0) out.push("-".repeat(line.length));
    if (detail.has(i)) out.push(detail.get(i)!);
  });
  const width = rendered[0]!.length;
  out.push("-".repeat(width));
  const times = e.classic.totalUsd / e.totalUsd;
  const ratio = e.totalUsd > 0 ? ` (${times.toFixed(times < 10 ? 1 : 0)}x this stack)` : "";
  const totalLine = `Total ${usd(e.totalUsd)} / month`;
  const classicLine = `Classic alternative ${usd(e.classic.totalUsd)} / month${ratio}`;
  out.push(`${totalLine.padEnd(Math.max(totalLine.length + 4, width - classicLine.length))}${classicLine}`);
  out.push(`  classic = ${e.classic.description}:`);
  let row = " ";
  for (const item of e.classic.lines.map((l) => `${l.item} ${usd(l.usd)}`)) {
    if (row.length + item.length + 3 > width && row.trim()) {
      out.push(row);
      row = " ";
    }
    row += ` ${item} ·`;
  }
  out.push(row.replace(/ ·$/, ""));
  out.push("");
  if (e.free.length) out.push(`Free (${e.free.length}): ${compactTypes(e.free)}`);
  if (e.unpriced.length) {
    out.push(`Not priced (${e.unpriced.length}):`);
    for (const u of e.unpriced) out.push(`  ${u.resource}: ${u.reason}`);
  }
  if (e.warnings.length) {
    out.push("Warnings:");
    for (const w of e.warnings) out.push(`  ! ${w}`);
  }
  out.push("Assumptions:");
  for (const a of e.assumptions) out.push(`  - ${a}`);
  return `${out.join("\n")}\n`;
}
