/**
 * Where providers come from, and installing them once per run.
 *
 * - TF_PROVIDER_MIRROR=<dir> (the directory holding `registry.terraform.io/...`): a CLI config is
 *   written with a filesystem mirror. From an unpacked mirror each stack's `init` symlinks the
 *   675 MB provider binary straight from the mirror, so no plugin cache is configured: a shared
 *   cache entry is re-linked by every `init`, and a stack being validated meanwhile finds its
 *   provider missing ("no package ... cached in .terraform/providers"). A packed (.zip) mirror gets
 *   a cache, trusted without lock entries so `init` links it instead of re-installing into it.
 * - otherwise the CLI config named by TF_CLI_CONFIG_FILE (or Terraform's default) applies, which
 *   may be the public registry.
 *
 * The providers every stack needs are installed once into a scratch module (which also yields
 * their schemas, for the mocks). Without a mirror its lock file is copied into each stack so
 * per-stack `init` takes the cached packages (Terraform >= 1.4 only uses the cache for providers
 * the lock file already vouches for).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { SynthesizedStack } from "../lib/synth-output.js";
import { hclString } from "./hcl.js";
import { type ProviderSchemas, parseProviderSchemas } from "./schema.js";
import { terraform } from "./terraform.js";

/** A reason validation cannot run at all; printed as one line. */
export class SetupError extends Error {}

export interface ProviderSource {
  /** Environment for every terraform command. */
  env: NodeJS.ProcessEnv;
  /** One line for the log, e.g. "filesystem mirror /opt/x (TF_PROVIDER_MIRROR)". */
  description: string;
  /**
   * Seed each stack with the scratch module's lock file. Needed to reuse the plugin cache when
   * packages come from a registry; with a local mirror a fresh init is faster (0.5 s against
   * 1.7 s: a lock entry makes Terraform re-hash the 675 MB binary).
   */
  seedLockFile: boolean;
}

/** Builds the environment terraform runs in; writes a CLI config under `workdir` when a mirror is given. */
export function providerSource(baseEnv: NodeJS.ProcessEnv, workdir: string): ProviderSource {
  const env: NodeJS.ProcessEnv = { ...baseEnv, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const cacheDir = join(workdir, "plugin-cache");
  mkdirSync(cacheDir, { recursive: true });
  const mirror = baseEnv.TF_PROVIDER_MIRROR;
  if (mirror) {
    const dir = resolve(mirror);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new SetupError(`TF_PROVIDER_MIRROR=${mirror} is not a directory (it must hold registry.terraform.io/<namespace>/<type>/...)`);
    }
    if (!existsSync(join(dir, "registry.terraform.io"))) {
      throw new SetupError(
        `TF_PROVIDER_MIRROR=${mirror} has no registry.terraform.io/ folder: point it at the mirror root, above registry.terraform.io`,
      );
    }
    const cliConfig = join(workdir, "terraform.tfrc");
    const cache = hasPackedProviders(dir)
      ? [`plugin_cache_dir = ${hclString(cacheDir)}`, "plugin_cache_may_break_dependency_lock_file = true"]
      : [];
    writeFileSync(
      cliConfig,
      [
        "provider_installation {",
        "  filesystem_mirror {",
        `    path    = ${hclString(dir)}`,
        `    include = ["registry.terraform.io/hashicorp/*"]`,
        "  }",
        "}",
        ...cache,
        "",
      ].join("\n"),
    );
    delete env.TF_PLUGIN_CACHE_DIR;
    return {
      env: { ...env, TF_CLI_CONFIG_FILE: cliConfig },
      description: `filesystem mirror ${dir} (TF_PROVIDER_MIRROR)`,
      seedLockFile: false,
    };
  }
  const configured = baseEnv.TF_CLI_CONFIG_FILE;
  if (configured && existsSync(configured)) {
    // the user's CLI config decides about the plugin cache
    return { env, description: `CLI config ${configured} (TF_CLI_CONFIG_FILE)`, seedLockFile: true };
  }
  // a TF_CLI_CONFIG_FILE naming a missing file only makes terraform warn on every command
  if (configured) delete env.TF_CLI_CONFIG_FILE;
  return {
    env: { ...env, TF_PLUGIN_CACHE_DIR: baseEnv.TF_PLUGIN_CACHE_DIR ?? cacheDir },
    description: "the public registry (no TF_PROVIDER_MIRROR, no TF_CLI_CONFIG_FILE)",
    seedLockFile: true,
  };
}

/** True when the mirror holds zipped provider packages (the packed layout) rather than unpacked directories. */
function hasPackedProviders(dir: string): boolean {
  const walk = (d: string, depth: number): boolean =>
    readdirSync(d, { withFileTypes: true }).some((e) =>
      e.isFile()
        ? e.name.startsWith("terraform-provider-") && e.name.endsWith(".zip")
        : e.isDirectory() && depth < 5 && walk(join(d, e.name), depth + 1),
    );
  return walk(join(dir, "registry.terraform.io"), 0);
}

/** `aws` -> `hashicorp/aws`: the short source cdktf writes means the same registry address. */
function fullSource(source: string): string {
  return source.includes("/") ? source : `hashicorp/${source}`;
}

export interface InstalledProviders {
  /** `.terraform.lock.hcl` vouching for the installed packages. */
  lockFile: string;
  schemas: ProviderSchemas;
  /** e.g. ["registry.terraform.io/hashicorp/aws 5.100.0"] */
  installed: string[];
  seconds: number;
}

/** The first `Error: ...` of terraform's output with the sentence after it, as one line. */
export function firstError(output: string): string {
  const lines = output.split("\n").map((l) => l.replace(/^[\s│╷╵]+/, "").trim());
  const at = lines.findIndex((l) => l.startsWith("Error: "));
  if (at < 0) return lines.find(Boolean) ?? "unknown error";
  const detail: string[] = [];
  for (const l of lines.slice(at + 2)) {
    if (!l) break;
    detail.push(l);
  }
  return [lines[at], detail.join(" ")].filter(Boolean).join(": ");
}

/** Installs the union of the stacks' required providers into `<workdir>/providers` and reads their schemas. */
export async function installProviders(stacks: SynthesizedStack[], workdir: string, source: ProviderSource): Promise<InstalledProviders> {
  const started = performance.now();
  const required: Record<string, { source: string; version?: string }> = {};
  for (const s of stacks) {
    for (const [name, p] of Object.entries<{ source?: string; version?: string }>(s.json.terraform?.required_providers ?? {})) {
      required[name] = { source: fullSource(p.source ?? name), ...(p.version ? { version: p.version } : {}) };
    }
  }
  const dir = join(workdir, "providers");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: required } }, null, 2));
  const init = await terraform(["init", "-input=false", "-backend=false", "-no-color"], dir, source.env);
  const wanted = Object.values(required)
    .map((p) => `${p.source} ${p.version ?? ""}`.trim())
    .join(", ");
  if (init.code !== 0) {
    throw new SetupError(
      `cannot install providers (${wanted}) from ${source.description}: ${firstError(init.stderr + init.stdout)}` +
        (source.env.TF_PROVIDER_MIRROR ? "" : " (no mirror configured: set TF_PROVIDER_MIRROR to a filesystem mirror)"),
    );
  }
  const schema = await terraform(["providers", "schema", "-json"], dir, source.env);
  if (schema.code !== 0) throw new SetupError(`terraform providers schema failed: ${firstError(schema.stderr)}`);
  const lockFile = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
  const installed = [...lockFile.matchAll(/provider "([^"]+)" \{\s*version\s*=\s*"([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  return { lockFile, schemas: parseProviderSchemas(schema.stdout), installed, seconds: (performance.now() - started) / 1000 };
}
