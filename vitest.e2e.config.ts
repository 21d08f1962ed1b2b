import { defineConfig } from "vitest/config";

/** `npm run test:e2e`: the web app in Debian's Chromium against `npm run dev` (see __tests__/e2e). */
export default defineConfig({
  test: {
    include: ["__tests__/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One browser and one dev server at a time: the machine's cores are shared.
    fileParallelism: false,
  },
});
