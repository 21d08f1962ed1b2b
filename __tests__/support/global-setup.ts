/**
 * Once per `vitest run` (and per project): one scratch folder for the whole run, removed at the end
 * however the workers ended. Test files make their temp dirs inside it (support/scratch.ts), so a
 * module shared by several files (isolate: false, see vitest.config.ts) needs no per-file cleanup.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    scratchRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), "vitest-run-"));
  project.provide("scratchRoot", root);
  return () => rmSync(root, { recursive: true, force: true });
}
