/**
 * The repository stands alone: its docs link only to what it contains (or to public URLs), the
 * docs index lists every docs file, and no tracked file cites a document or a machine path the
 * reader of a clone does not have.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");
const DOCS = join(ROOT, "docs");
const docFiles = readdirSync(DOCS)
  .filter((f) => f.endsWith(".md"))
  .sort();
const markdownFiles = ["README.md", "backend/README.md", ...docFiles.map((f) => `docs/${f}`)].filter((f) => existsSync(join(ROOT, f)));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Relative link targets of a markdown file (outside code), as [text](target). */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe("docs", () => {
  test.each(markdownFiles)("every relative link of %s points at a file (and heading) that exists", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const broken: string[] = [];
    for (const target of relativeLinks(text)) {
      const [path, anchor] = target.split("#") as [string, string | undefined];
      const targetFile = path === "" ? join(ROOT, file) : resolve(dirname(join(ROOT, file)), path);
      if (!existsSync(targetFile)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor && targetFile.endsWith(".md") && !anchorsOf(readFileSync(targetFile, "utf8")).has(anchor)) {
        broken.push(`${target}: no heading "${anchor}" in ${relative(ROOT, targetFile)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test.each(markdownFiles)("%s names only repository paths that exist (in code spans)", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const paths = [...text.matchAll(/`((?:backend|web|scripts|stacks|modules|__tests__|\.ci|docs)\/[\w./-]+)`/g)].map((m) => m[1]!);
    // Build outputs (backend/dist, web/dist) exist only after a build.
    const missing = paths.filter((p) => !/(^|\/)dist(\/|$)/.test(p) && !existsSync(join(ROOT, p)));
    expect(missing).toEqual([]);
  });

  test("docs/README.md links every file in docs/", () => {
    const index = readFileSync(join(DOCS, "README.md"), "utf8");
    const linked = new Set(relativeLinks(index).map((t) => t.split("#")[0]));
    expect(docFiles.filter((f) => f !== "README.md" && !linked.has(f))).toEqual([]);
  });
});

/**
 * What a clone does not have: the team's background notes (never part of the repository) and
 * paths of the machines the project was built on. A docs/ file of the same name is fine.
 */
const FOREIGN = [
  { what: "a background note", pattern: /(?<![\w/.-])(?:design|style|security|aws-prices|blog-and-modules|cdktf-practice)\.md\b/g },
  { what: "the background notes' folders", pattern: /\.\.\/shared\b|\breference\/[\w-]+\.md/g },
  { what: "a section sign (the background notes' numbering)", pattern: /§/g },
  { what: "a build machine's path", pattern: /(?:^|[\s"'`(=])\/(?:work|opt\/tf-plugins)\//g },
];

test("no tracked file cites a document outside the repository or a path of a build machine", () => {
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && !f.endsWith("package-lock.json") && f !== "__tests__/docs/stand-alone.test.ts" && existsSync(join(ROOT, f)));
  const found: string[] = [];
  for (const file of files) {
    readFileSync(join(ROOT, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        for (const { what, pattern } of FOREIGN) {
          // Inside docs/, a bare "security.md" is the sibling docs file of that name.
          const foreign = [...line.matchAll(pattern)].filter((m) => !(file.startsWith("docs/") && existsSync(join(DOCS, m[0]))));
          if (foreign.length > 0) found.push(`${file}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
        }
      });
  }
  expect(found).toEqual([]);
});
