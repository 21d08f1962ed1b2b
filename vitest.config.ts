import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./__tests__/support/sequencer.js";

/**
 * The suites that may share one module graph per worker: they read synthesized JSON, or drive the
 * deploy and ops commands against fake tools and the AWS stub, and leave no global changed (the
 * stub's AWS_* variables are restored after each file; support/command-in-process.ts restores what
 * it swaps). The others (backend, local, tooling) reset modules, set the SDK's environment for the
 * whole file or install signal handlers, and stay isolated, except the files listed below, which
 * do none of that: each isolated file costs a fresh worker and its own imports (half a second and
 * more), and the two tooling files run the same command files the shared suites already loaded.
 */
const SHARED = [
  ...["infra", "policy", "modules", "cost", "deploy", "ops", "docs", "ci"].map((dir) => `__tests__/${dir}/**/*.test.ts`),
  // pure functions and files read from disk
  "__tests__/backend/dockerfile.test.ts",
  "__tests__/backend/user-schema.test.ts",
  "__tests__/local/web-config.test.ts",
  // its own dynalite and a client with explicit endpoint and credentials, no environment
  "__tests__/local/table-rebuild.test.ts",
  // command files in process (support/command-in-process.ts restores argv, env and the streams)
  "__tests__/tooling/cli.test.ts",
  "__tests__/tooling/synth.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // vitest 4.1 runs `cpus - 1` workers by default: one on a 2-core machine, while most files
    // spend their time waiting on a child process or a socket. Two left a core idle whenever a
    // file waits on a timer (retry deadlines, a slow fake apply, a signal's grace period); a third
    // worker fills those gaps.
    maxWorkers: 3,
    globalSetup: ["__tests__/support/global-setup.ts"],
    // the longest files start first even without vitest's cache of durations (a fresh clone, CI)
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: SHARED,
          exclude: ["__tests__/e2e/**", "node_modules/**"],
          // One module graph per worker instead of per file: cdktf, the provider classes, the AWS
          // SDK clients and each synthesized variant (support/variants.ts, frozen) load once per
          // worker, not once per file.
          isolate: false,
          // and a spy one file leaves in place must not reach the next file's tests
          restoreMocks: true,
        },
      },
      {
        extends: true,
        test: {
          name: "isolated",
          include: ["__tests__/**/*.test.ts"],
          exclude: ["__tests__/e2e/**", "node_modules/**", ...SHARED],
        },
      },
    ],
  },
});
