/** Just enough HCL writing for generated test files: literal values, never expressions. */

import { hclString } from "../../modules/hcl.js";

export { hclString };

/** A literal HCL value (string, number, bool, null, list, object) written on one line. */
export function hclValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return hclString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(hclValue).join(", ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${hclString(k)} = ${hclValue(x)}`);
    return `{ ${entries.join(", ")} }`;
  }
  throw new Error(`cannot write ${typeof v} as HCL`);
}

/** `name = value` lines of an attribute map, indented. */
export function hclAttributes(attrs: Record<string, unknown>, indent: string): string {
  return Object.entries(attrs)
    .map(([k, v]) => `${indent}${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k)} = ${hclValue(v)}`)
    .join("\n");
}
