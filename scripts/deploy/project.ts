/** Where the deploy finds the project and which commands build it; tests swap in fakes. */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { Command } from "../lib/process.js";

/** The commands that build and synthesize the project, run with the project root as cwd. */
export interface ProjectCommands {
  /** Synthesizes every stack into `cdktf.out`. @default cdktf.json's app command */
  synth: string[];
  /** Bundles the Lambda into backend/dist. @default ["npm", "run", "build:backend"] */
  buildBackend: string[];
  /** Builds the web app into web/dist. @default ["npm", "run", "build:web"] */
  buildWeb: string[];
}

/** Options every command (deploy, diff, destroy, bootstrap-state) takes. */
export interface CommonOptions {
  /** The project root. @default the repository this file is in */
  root?: string;
  /** Replaces some build commands (tests use fakes). @default the real ones */
  commands?: Partial<ProjectCommands>;
  /** Environment for child processes and the config. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Where progress goes. @default process.stdout */
  out?: Writable;
  /** Where answers to confirmation questions come from. @default process.stdin */
  input?: Readable;
}

/** cdktf.json's `app` command as argv (a plain command line: words separated by spaces). */
export function appCommand(root: string): string[] {
  const file = join(root, "cdktf.json");
  const app = (JSON.parse(readFileSync(file, "utf8")) as { app?: unknown }).app;
  if (typeof app !== "string" || !app.trim()) throw new Error(`${file} has no "app" command`);
  return app.trim().split(/\s+/);
}

/** Paths relative to the project root, as printed in commands (so they can be pasted anywhere). */
export const PROJECT_PATHS = {
  outDir: "cdktf.out",
  deployDir: ".deploy",
  stateDir: ".state",
  backendDir: "backend",
  dockerfile: "backend/Dockerfile",
} as const;

export const DEFAULT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Project {
  root: string;
  commands: ProjectCommands;
  env: NodeJS.ProcessEnv;
  out: Writable;
  input: Readable;
  /** cdktf.out, or CDKTF_OUTDIR when set (as the synth honours it). */
  outDir: string;
  /** A stack's directory as passed to terraform -chdir (relative to the root unless CDKTF_OUTDIR is absolute). */
  stackDir: (stackId: string) => string;
  /** Absolute path of a project-relative path. */
  path: (...parts: string[]) => string;
  /** The synth command with the environment it runs with. */
  synthCommand: (env: Record<string, string>) => Command;
}

export function resolveProject(options: CommonOptions): Project {
  const root = options.root ?? DEFAULT_ROOT;
  const commands: ProjectCommands = {
    buildBackend: ["npm", "run", "build:backend"],
    buildWeb: ["npm", "run", "build:web"],
    ...options.commands,
    synth: options.commands?.synth ?? appCommand(root), // never a copy of it
  };
  const env = options.env ?? process.env;
  const outDir = env.CDKTF_OUTDIR || PROJECT_PATHS.outDir;
  return {
    outDir,
    stackDir: (stackId) => stackDir(stackId, outDir),
    root,
    commands,
    env,
    out: options.out ?? process.stdout,
    input: options.input ?? process.stdin,
    path: (...parts) => join(root, ...parts),
    synthCommand: (env) => ({ argv: commands.synth, env }),
  };
}

/** The per-stack working directory, relative to the root (terraform -chdir=...). */
export const stackDir = (stackId: string, outDir: string = PROJECT_PATHS.outDir) => `${outDir}/stacks/${stackId}`;
