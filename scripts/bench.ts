/**
 * `npm run bench`: every figure the issues ask for, measured here and now, each beside its budget.
 * Each area keeps its benchmark in scripts/bench/<area>.ts; this runs them one after another (so
 * they do not compete for the two cores) and prints one table. `npm run bench -- synth web` runs
 * only the named sections. Exits 1 when a figure is over its budget, 2 for an unknown section.
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRow, BenchSection } from "./bench/types.js";
import { EXIT, runCli, UsageError } from "./lib/cli.js";

const ORDER = ["synth", "backend", "web", "local"];
const dir = fileURLToPath(new URL("./bench/", import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "types.ts")
  .map((f) => basename(f, ".ts"))
  .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));

const USAGE = `Usage: npm run bench -- [section...]

Measures every figure beside its budget; exits 1 when one is over.
Sections (default: all, in this order): ${available.join(", ")}`;

await runCli({ name: "npm run bench", usage: USAGE, options: {}, positionals: true }, async ({ positionals: wanted }) => {
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length) throw new UsageError(`unknown bench section(s): ${unknown.join(", ")}. Available: ${available.join(", ")}`);
  let over = 0;
  for (const name of wanted.length ? wanted : available) {
    process.stdout.write(`\n[${name}] measuring...\n`);
    const section = (await import(join(dir, `${name}.ts`))).default as BenchSection;
    const started = Date.now();
    const { title, rows } = await section();
    console.log(`\n## ${title}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    print(rows);
    over += rows.filter((r) => r.ok === false).length;
  }
  console.log(over ? `\n${over} figure(s) over budget.` : "\nAll figures within budget.");
  return over ? EXIT.failed : EXIT.ok;
});

function print(rows: BenchRow[]): void {
  const table = [
    ["figure", "value", "budget", ""],
    ...rows.map((r) => [r.figure, r.value, r.budget ?? "", r.ok === undefined ? "" : r.ok ? "ok" : "OVER"]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
}
