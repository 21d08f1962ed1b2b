/**
 * Loads the Lambda handler for the local server and reloads it when the backend code changes:
 * esbuild bundles the entry (npm packages stay external, so they load once) to a new file per
 * build, and a fresh import of that file brings the whole changed module graph with it.
 */
import { type FSWatcher, watch } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { LambdaHandler } from "./api-server.js";
import { LocalStackError } from "./errors.js";

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Per process, not per loader: an import of a URL seen before returns the cached module. */
let bundleCount = 0;

export interface HandlerLoaderOptions {
  /** The module exporting the handler, e.g. backend/src/handler.ts. */
  entry: string;
  /** @default "handler" */
  exportName?: string;
  /** Folder watched for changes; undefined loads once and never reloads. @default undefined */
  watchDir?: string;
  /**
   * Where bundles are written: inside the project, so their npm imports resolve from node_modules.
   * @default "<project>/node_modules/.cache/local-api"
   */
  outDir?: string;
  /** Reload and build-error messages. @default no logging */
  log?: (line: string) => void;
}

export interface HandlerLoader {
  /** The newest handler that built and loaded. */
  current(): LambdaHandler;
  /** How many times the handler was (re)loaded, the first load included. */
  loads(): number;
  close(): Promise<void>;
}

export async function startHandlerLoader(options: HandlerLoaderOptions): Promise<HandlerLoader> {
  const outDir = options.outDir ?? join(PROJECT_ROOT, "node_modules", ".cache", "local-api");
  const log = options.log ?? (() => {});
  await mkdir(outDir, { recursive: true });
  let handler: LambdaHandler;

  async function load(): Promise<LambdaHandler> {
    bundleCount += 1;
    const outfile = join(outDir, `handler-${process.pid}-${bundleCount}.mjs`);
    try {
      await build({
        entryPoints: [options.entry],
        outfile,
        bundle: true,
        format: "esm",
        platform: "node",
        target: "node20",
        packages: "external",
        sourcemap: "inline",
        logLevel: "silent",
      });
      const module = (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;
      const exported = module[options.exportName ?? "handler"];
      if (typeof exported !== "function")
        throw new Error(`${options.entry} does not export a function "${options.exportName ?? "handler"}"`);
      return exported as LambdaHandler;
    } finally {
      // Imported modules stay in memory; the file is not needed once loaded.
      await rm(outfile, { force: true });
    }
  }

  try {
    handler = await load();
  } catch (e) {
    throw new LocalStackError(`cannot load the handler ${options.entry}: ${firstLine(e)}`);
  }
  let loads = 1;

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let reloading: Promise<void> = Promise.resolve();
  if (options.watchDir) {
    watcher = watch(options.watchDir, { recursive: true }, () => {
      // Editors save in bursts (write, rename, chmod): one reload per burst.
      clearTimeout(timer);
      timer = setTimeout(() => {
        reloading = reloading.then(async () => {
          try {
            handler = await load();
            loads += 1;
            log("backend changed: handler reloaded");
          } catch (e) {
            log(`backend changed but does not build, keeping the previous handler: ${firstLine(e)}`);
          }
        });
      }, 100);
    });
  }

  return {
    current: () => handler,
    loads: () => loads,
    async close() {
      clearTimeout(timer);
      watcher?.close();
      await reloading;
    },
  };
}

function firstLine(e: unknown): string {
  const error = e as { errors?: { text: string; location?: { file: string; line: number } }[]; message?: string };
  const first = error.errors?.[0];
  if (first) return `${first.location ? `${first.location.file}:${first.location.line}: ` : ""}${first.text}`;
  return String(error.message ?? e).split("\n")[0]!;
}
