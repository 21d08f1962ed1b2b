/**
 * Temp dirs for tests: inside the run's scratch folder (support/global-setup.ts), which is removed
 * when the run ends. Without that setup (a config that does not name it), in the system's temp dir,
 * removed when this process exits.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

let fallback: string | undefined;

function root(): string {
  const provided = inject("scratchRoot");
  if (provided) return provided;
  if (!fallback) {
    const dir = mkdtempSync(join(tmpdir(), "vitest-scratch-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    fallback = dir;
  }
  return fallback;
}

/** A new empty directory, e.g. scratchDir("synth-") -> <run scratch>/synth-AbC123. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(root(), prefix));
}
