/** docs/cost.md's price table says what scripts/cost/prices.ts bills: every row, at its price. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { PRICE_TABLE_DATE, PRICES, type PriceId } from "../../scripts/cost/prices.js";

const ROOT = join(import.meta.dirname, "..", "..");
const doc = readFileSync(join(ROOT, "docs", "cost.md"), "utf8");
/** The doc's row for a price id: the table line starting with `| \`id\` |`. */
const rowOf = (id: string) => doc.split("\n").find((line) => line.startsWith(`| \`${id}\` |`));
/** A price as the doc writes it: at least cents, never rounded ("$0.20", "$0.0000133334"). */
const dollars = (usd: number) => {
  const exact = String(+usd.toPrecision(6));
  return `$${/\.\d\d/.test(exact) ? exact : usd.toFixed(2)}`;
};

describe("docs/cost.md's price table", () => {
  test.each(Object.keys(PRICES) as PriceId[])("lists %s at the price the estimate uses", (id) => {
    const row = rowOf(id);
    expect(row, `docs/cost.md has no row for PRICES.${id}`).toBeDefined();
    expect(row).toContain(dollars(PRICES[id].usd));
  });

  test("has no row for a price the code no longer has", () => {
    const ids = doc.split("\n").flatMap((line) => /^\| `(\w+)` \|/.exec(line)?.[1] ?? []);
    const priceRows = ids.filter((id) => /^[a-z]+[A-Z0-9]/.test(id));
    expect(priceRows.filter((id) => !(id in PRICES))).toEqual([]);
  });

  test("names the table's date", () => {
    expect(doc).toContain(PRICE_TABLE_DATE);
  });
});
