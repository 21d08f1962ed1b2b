/**
 * Runs `npm run dev` as a child process, the way a developer does, and reads its API:/Web: lines.
 * The child gets its own process group so stopping it also stops tsx and node under npm.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

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

function spawnDev(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn("npm", ["run", "--silent", "dev", "--", ...args], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let text = "";
  child.stdout!.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
  const npmExited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  // npm may exit before the dev process under it has finished: the pipes close only when every
  // process holding them is gone.
  const pipesClosed = Promise.all([child.stdout, child.stderr].map((s) => new Promise((r) => s!.on("close", r))));
  const exited = Promise.all([npmExited, pipesClosed]).then(([code]) => code);
  return { child, output: () => text, exited };
}

/** Starts the dev server and waits for both URLs (or fails with its output). */
export async function startDev(args: string[], timeoutMs = 45_000): Promise<DevProcess> {
  const { child, output, exited } = spawnDev(args);
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
          if (!done) process.kill(-child.pid!, signal);
          return exited;
        },
        async signalNpm(signal, timeoutMs = 20_000) {
          process.kill(child.pid!, signal);
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
      process.kill(-child.pid!, "SIGKILL");
      throw new Error(`npm run dev was not ready after ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the dev command to its exit (for commands that must fail fast). */
export async function runDevToExit(args: string[], timeoutMs = 30_000): Promise<DevExit> {
  const { child, output, exited } = spawnDev(args);
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  return { code, output: output() };
}
