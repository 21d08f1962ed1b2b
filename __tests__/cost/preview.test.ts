/** An idle pull request preview (docs/github.md): what `npm run cost -- --stage pr-1 --requests 0` prints. */
import { describe, expect, it } from "vitest";
import { parseCostArgs } from "../../scripts/cost/traffic.js";
import { runCommandInProcess } from "../support/command-in-process.js";
import { lines, priceConfig, tempDir } from "./support.js";

describe("an idle preview stage", () => {
  it("costs $0.03 a month: three kept images, where main's stage keeps ten ($0.10)", () => {
    const preview = priceConfig({ stage: "pr-1" }, { requests: 0 });
    const main = priceConfig({}, { requests: 0 });
    expect(preview.totalUsd).toBeCloseTo(0.03, 4);
    expect(main.totalUsd).toBeCloseTo(0.1, 4);
    expect(lines(preview, "ECR").map((l) => l.item)).toEqual([expect.stringContaining("3 images kept")]);
    // nothing else of an idle preview costs a cent: no PITR, logs kept 3 days (the site itself: fractions of a cent)
    expect(preview.lines.filter((l) => l.usd >= 0.005).map((l) => l.service)).toEqual(["ECR"]);
  });

  it("--stage prices that stage of the config (the command)", async () => {
    const run = await runCommandInProcess("scripts/cost.ts", ["--stage", "pr-1", "--requests", "0", "--json"], {
      APP_CONFIG: "",
      CDKTF_OUTDIR: tempDir("stage-"),
    });
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.stacks.sort()).toEqual(["app-pr-1", "registry-pr-1"]);
    expect(json.totalUsd).toBeCloseTo(0.03, 4);
  });

  it("--stage and --outdir together are a usage error", () => {
    expect(() => parseCostArgs(["--stage", "pr-1", "--outdir", "x"])).toThrow(/use one/);
  });
});
