/**
 * Builders for the cost tests: synthesize a config variant into a temp dir with the real stacks
 * (buildApp), read it back as the cost command does, and price it.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Estimate, estimateCost } from "../../scripts/cost/estimate.js";
import type { LineItem } from "../../scripts/cost/ledger.js";
import { readSynthesizedStacks, type SynthesizedStacks } from "../../scripts/cost/stacks.js";
import { DEFAULT_TRAFFIC, type TrafficProfile } from "../../scripts/cost/traffic.js";
import { scratchDir } from "../support/scratch.js";
import { synthConfig as synthStacks } from "../support/synth-config.js";

/** A temp dir, removed when the test run ends. */
export const tempDir = (prefix: string): string => scratchDir(`cost-${prefix}`);

/** A tiny built web app (index.html + one asset), so tests do not depend on `npm run build:web`. */
function fakeWebDist(): string {
  const dir = tempDir("dist-");
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>t</title>".padEnd(1000, " "));
  writeFileSync(join(dir, "assets", "index-abc123.js"), "x".repeat(9000));
  return dir;
}

const synthCache = new Map<string, string>();

/** Synthesizes the stacks for a raw config (validated like APP_CONFIG) and returns the outdir. */
export function synthConfig(raw: Record<string, unknown>): string {
  const key = JSON.stringify(raw);
  const hit = synthCache.get(key);
  if (hit) return hit;
  const { outdir } = synthStacks(raw, fakeWebDist());
  synthCache.set(key, outdir);
  return outdir;
}

/** The worked bill's stack (docs/cost.md): a domain, and no PITR (the bill leaves PITR out). */
export const WORKED_BILL_CONFIG = { domain: "example.com", table_point_in_time_recovery: false };

export function priceConfig(raw: Record<string, unknown>, traffic: Partial<TrafficProfile> = {}): Estimate {
  return estimateCost(readSynthesizedStacks(synthConfig(raw)), { ...DEFAULT_TRAFFIC, ...traffic });
}

export function priceStacks(stacks: SynthesizedStacks, traffic: Partial<TrafficProfile> = {}): Estimate {
  return estimateCost(stacks, { ...DEFAULT_TRAFFIC, ...traffic });
}

/** Copies a synthesized outdir and lets `edit` change one stack's JSON (e.g. inject a NAT gateway). */
export function editedCopy(
  outdir: string,
  stackId: string,
  edit: (json: { resource: Record<string, Record<string, unknown>> }) => void,
): string {
  const copy = tempDir("edited-");
  cpSync(outdir, copy, { recursive: true }); // asset files too: the site size is measured from them
  const manifest = JSON.parse(readFileSync(join(copy, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const file = join(copy, manifest.stacks[stackId]!.synthesizedStackPath);
  const json = JSON.parse(readFileSync(file, "utf8"));
  edit(json);
  writeFileSync(file, JSON.stringify(json));
  return copy;
}

/** Lines of one service whose item starts with `item`. */
export function lines(e: Estimate, service: string, item = ""): LineItem[] {
  return e.lines.filter((l) => l.service === service && l.item.startsWith(item));
}

export const sumUsd = (ls: LineItem[]) => ls.reduce((s, l) => s + l.usd, 0);
