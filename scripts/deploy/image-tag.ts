/**
 * The immutable image tag: the commit's short SHA, `-dirty-<hash of the uncommitted changes>` when
 * the tree has any, and the architecture (one tag never names two different images, so ECR's
 * immutable tags hold and an unchanged tree pushes nothing).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { runCommand } from "../lib/process.js";
import type { LambdaArchitecture } from "./container.js";

export async function imageTag(root: string, architecture: LambdaArchitecture): Promise<string> {
  return `${await sourceVersion(root)}-${architecture}`;
}

class GitFailed extends Error {}

async function git(root: string, args: string[]): Promise<Buffer> {
  // GIT_OPTIONAL_LOCKS=0: `git status` must not take index.lock while someone else commits.
  const result = await runCommand({ argv: ["git", ...args], env: { GIT_OPTIONAL_LOCKS: "0" } }, { cwd: root });
  if (result.code !== 0) throw new GitFailed(result.output);
  return result.stdoutBytes;
}

const shortHash = (hash: ReturnType<typeof createHash>) => hash.digest("hex").slice(0, 8);

async function sourceVersion(root: string): Promise<string> {
  let sha: string;
  try {
    sha = (await git(root, ["rev-parse", "--short=7", "HEAD"])).toString().trim();
  } catch {
    return `nogit-${hashTree(join(root, "backend"))}`;
  }
  const status = (await git(root, ["status", "--porcelain", "--untracked-files=all"])).toString();
  if (!status.trim()) return sha;
  // The diff plus every untracked file's content: the same edits always give the same tag.
  const hash = createHash("sha256").update(await git(root, ["diff", "HEAD", "--binary"]));
  const untracked = (await git(root, ["ls-files", "--others", "--exclude-standard", "-z"])).toString().split("\0").filter(Boolean).sort();
  for (const file of untracked) {
    hash.update(`\0${file}\0`);
    try {
      hash.update(readFileSync(join(root, file)));
    } catch {
      // vanished or unreadable: its name alone still marks the tree as different
    }
  }
  return `${sha}-dirty-${shortHash(hash)}`;
}

/** Outside git: a hash of the backend sources (build output excluded). */
function hashTree(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === "node_modules" || e.name === "dist") continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) hash.update(`\0${relative(dir, p)}\0`).update(readFileSync(p));
    }
  };
  walk(dir);
  return shortHash(hash);
}
