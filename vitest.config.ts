import { defineConfig } from "vitest/config";

/**
 * The suites that may share one module graph per worker: they read synthesized JSON, or drive the
 * deploy and ops commands against fake tools and the AWS stub, and leave no global changed (the
 * stub's AWS_* variables are restored after each file; support/command-in-process.ts restores what
 * it swaps). The others (backend, local, tooling) reset modules, set the SDK's environment for the
 * whole file or install signal handlers, and stay isolated.
 */
const SHARED = ["infra", "policy", "modules", "cost", "deploy", "ops", "docs", "ci"].map((dir) => `__tests__/${dir}/**/*.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // vitest 4.1 runs `cpus - 1` workers by default: one on a 2-core machine, while most files
    // spend their time waiting on a child process or a socket. Two keep both cores busy.
    maxWorkers: 2,
    globalSetup: ["__tests__/support/global-setup.ts"],
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
