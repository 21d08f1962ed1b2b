/**
 * The image tag: a hash of exactly what goes into the Lambda image (the backend sources, the lock
 * file, the Dockerfile, the bundler script and the tsconfig esbuild reads) plus the architecture.
 * Nothing else: a README edit, an untracked config file or a commit that touches only the web app
 * keeps the tag, so the deploy pushes nothing and the function does not roll. The same inputs
 * always give the same tag, so ECR's immutable tags hold (one tag never names two images).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { LambdaArchitecture } from "./container.js";

/**
 * What the image is built from, relative to the project root. A directory stands for every file
 * under it (hidden files and build output excluded). Keep in step with scripts/build-backend.ts
 * (what esbuild reads) and backend/Dockerfile (what the image copies).
 */
export const IMAGE_INPUTS = [
  "backend/src",
  "backend/Dockerfile",
  "package-lock.json",
  "scripts/build-backend.ts",
  "tsconfig.json",
] as const;

/** Hex digits of the content hash in the tag (48 bits: collisions are not a practical concern). */
const HASH_LENGTH = 12;

export class ImageInputMissing extends Error {
  constructor(readonly path: string) {
    super(`${path} is listed as an input of the Lambda image (IMAGE_INPUTS in scripts/deploy/image-tag.ts) but does not exist`);
    this.name = "ImageInputMissing";
  }
}

/** `<content hash>-<architecture>`, e.g. `3f9a0c1d2e4b-arm64`. */
export function imageTag(root: string, architecture: LambdaArchitecture, inputs: readonly string[] = IMAGE_INPUTS): string {
  return `${contentHash(root, inputs)}-${architecture}`;
}

/** The files the hash covers, sorted, as project-relative paths with forward slashes. */
export function imageInputFiles(root: string, inputs: readonly string[] = IMAGE_INPUTS): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let stat;
    try {
      stat = statSync(join(root, input));
    } catch {
      throw new ImageInputMissing(input);
    }
    if (stat.isDirectory()) walk(root, input, files);
    else files.push(input);
  }
  return [...new Set(files)].sort();
}

function contentHash(root: string, inputs: readonly string[]): string {
  const hash = createHash("sha256");
  // Name and content of each file, NUL-separated: a rename changes the tag, as it may change the bundle.
  for (const file of imageInputFiles(root, inputs))
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update("\0");
  return hash.digest("hex").slice(0, HASH_LENGTH);
}

function walk(root: string, dir: string, files: string[]): void {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    // Hidden files (.DS_Store, editor swap files) and build output never reach the image.
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "dist") continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(root, path, files);
    else if (entry.isFile()) files.push(path);
  }
}

// `node --import tsx scripts/deploy/image-tag.ts [arm64|x86_64]` prints the tag, for a push by hand.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const architecture = process.argv[2] ?? "arm64";
  if (architecture !== "arm64" && architecture !== "x86_64") {
    process.stderr.write(`usage: image-tag.ts [arm64|x86_64] (got ${JSON.stringify(architecture).slice(0, 40)})\n`);
    process.exit(2);
  }
  process.stdout.write(`${imageTag(fileURLToPath(new URL("../..", import.meta.url)), architecture)}\n`);
}
