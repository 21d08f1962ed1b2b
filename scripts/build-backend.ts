/**
 * `npm run build:backend`: bundles the Lambda into one minified ESM file, backend/dist/index.mjs,
 * exporting `handler` (the image's CMD is "index.handler"). The AWS SDK is bundled in rather
 * than taken from the runtime, so the version that ran the tests is the version that ships.
 */
import { mkdir, stat } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { CommandError, runCli } from "./lib/cli.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export const BACKEND_ENTRY = `${repoRoot}backend/src/index.ts`;
export const BACKEND_BUNDLE = `${repoRoot}backend/dist/index.mjs`;

/** Builds the bundle and returns its path and size in bytes. */
export async function buildBackend(): Promise<{ path: string; bytes: number }> {
  await mkdir(`${repoRoot}backend/dist`, { recursive: true });
  await build({
    entryPoints: [BACKEND_ENTRY],
    outfile: BACKEND_BUNDLE,
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "esm",
    // The SDK's ESM builds: smaller after tree-shaking than the CommonJS ones esbuild picks
    // by default for platform "node".
    mainFields: ["module", "main"],
    // Bundled CommonJS code may still call require() on Node built-ins; ESM has no require.
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
    legalComments: "eof",
    logLevel: "warning",
  });
  return { path: BACKEND_BUNDLE, bytes: (await stat(BACKEND_BUNDLE)).size };
}

const USAGE = `Usage: npm run build:backend

Bundles backend/src into backend/dist/index.mjs (the container image's handler).`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli({ name: "npm run build:backend", usage: USAGE, options: {} }, async () => {
    const { path, bytes } = await buildBackend().catch((e: { errors?: unknown[] }) => {
      // esbuild has printed each error with its location already
      throw e.errors?.length ? new CommandError(`the bundle failed with ${e.errors.length} error(s), shown above`) : e;
    });
    console.log(`backend bundle: ${path} (${(bytes / 1024).toFixed(1)} KiB)`);
  });
}
