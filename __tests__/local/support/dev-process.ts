/**
 * Runs `npm run dev` as a child process (scripts/lib/process.ts), the way a developer does, and
 * reads its API:/Web: lines. The child leads its own process group, so stopping it also stops the
 * node process under npm.
 */
import { fileURLToPath } from "node:url";
import { runCommand } from "../../../scripts/lib/process.js";

export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface DevProcess {
  apiUrl: string;
  /** Without trailing slash. */
  webUrl: string;
  output(): string;
  /** Sends a signal (default SIGTERM) to the process group; resolves with npm's exit code once all are gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /**
   * Sends a signal to the npm process alone, as a process manager does; resolves with npm's exit
   * code once every process under it is gone, or rejects after `timeoutMs`.
   */
  signalNpm(signal: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

export interface DevExit {
  code: number | null;
  output: string;
}

function spawnDev(args: string[]): { pid: number; output: () => string; exited: Promise<number | null> } {
  let text = "";
  let pid = 0;
  // Resolves once npm has exited and its pipes have closed: npm may exit before the dev process
  // under it has finished, and the pipes close only when every process holding them is gone.
  const exited = runCommand(
    { argv: ["npm", "run", "--silent", "dev", "--", ...args] },
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FORCE_COLOR: "0" },
      onOutput: (chunk) => (text += chunk),
      onStart: (started) => (pid = started),
    },
  ).then((r) => (r.startError ? Promise.reject(new Error(r.startError)) : r.code));
  if (!pid) {
    exited.catch(() => {}); // the reason is thrown here
    throw new Error("npm run dev did not start");
  }
  return { pid, output: () => text, exited };
}

/** Starts the dev server and waits for both URLs (or fails with its output). */
export async function startDev(args: string[], timeoutMs = 45_000): Promise<DevProcess> {
  const { pid, output, exited } = spawnDev(args);
  let done = false;
  exited.then(() => (done = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const api = /^API: (\S+)$/m.exec(output());
    const web = /^Web: (\S+)$/m.exec(output());
    if (api && web) {
      return {
        apiUrl: api[1]!,
        webUrl: web[1]!.replace(/\/$/, ""),
        output,
        async stop(signal = "SIGTERM") {
          if (!done) process.kill(-pid, signal);
          return exited;
        },
        async signalNpm(signal, timeoutMs = 20_000) {
          process.kill(pid, signal);
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`npm run dev still running ${timeoutMs} ms after ${signal} to npm:\n${output()}`)),
              timeoutMs,
            );
          });
          try {
            return await Promise.race([exited, late]);
          } finally {
            clearTimeout(timer);
          }
        },
      };
    }
    if (done) throw new Error(`npm run dev exited before it was ready:\n${output()}`);
    if (Date.now() > deadline) {
      process.kill(-pid, "SIGKILL");
      throw new Error(`npm run dev was not ready after ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the dev command to its exit (for commands that must fail fast). */
export async function runDevToExit(args: string[], timeoutMs = 30_000): Promise<DevExit> {
  const { pid, output, exited } = spawnDev(args);
  const timer = setTimeout(() => process.kill(-pid, "SIGKILL"), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  return { code, output: output() };
}
