/**
 * Preview stages (docs/github.md, "Preview stages"): a pull request's `pr-<number>` stage is cheap
 * to keep and free to destroy, whatever the committed config says for main.
 */
import { describe, expect, test } from "vitest";
import { synthesizeStacks } from "../../scripts/lib/synth.js";
import { type AppConfig, PREVIEW_KEEP_IMAGES, PREVIEW_LOG_RETENTION_DAYS, parseConfig } from "../../stacks/config.js";
import { scratchDir } from "../support/scratch.js";

function config(raw: Record<string, unknown>): AppConfig {
  const parsed = parseConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

/** What a team commits for main: protected, recoverable, logs kept a month. */
const PRODUCTION = { table_deletion_protection: true, table_point_in_time_recovery: true, logs_retention: 30, ecr_keep_images: 10 };

describe("which stage is a preview", () => {
  test.each([
    ["pr-12", {}, true],
    ["pr-1", PRODUCTION, true],
    ["dev", {}, false],
    ["prod", PRODUCTION, false],
    ["pr-x", {}, false],
    ["qa", { preview: true }, true],
    ["pr-7", { preview: false }, false],
  ])("stage %s with %j: preview %s", (stage, raw, preview) => {
    expect(config({ ...raw, stage }).preview).toBe(preview);
  });
});

describe("a preview is disposable by default", () => {
  test("no deletion protection, no PITR, short log retention, few images, even when the committed config asks for them", () => {
    expect(config({ ...PRODUCTION, stage: "pr-12" })).toMatchObject({
      table_deletion_protection: false,
      table_point_in_time_recovery: false,
      logs_retention: PREVIEW_LOG_RETENTION_DAYS,
      ecr_keep_images: PREVIEW_KEEP_IMAGES,
    });
    // a retention already shorter stays
    expect(config({ stage: "pr-12", logs_retention: 1 }).logs_retention).toBe(1);
    // any other stage keeps what the file says
    expect(config({ ...PRODUCTION, stage: "prod" })).toMatchObject(PRODUCTION);
    expect(config({ ...PRODUCTION, stage: "pr-12", preview: false })).toMatchObject(PRODUCTION);
  });

  test("the synthesized preview stage has an unprotected table without PITR and short-lived log groups", () => {
    const outdir = scratchDir("preview-synth-"); // removed when the run ends
    const stacks = Object.fromEntries(
      synthesizeStacks(config({ ...PRODUCTION, stage: "pr-12" }), outdir, { fresh: true }).map((s) => [s.id, s.json]),
    );
    const app = stacks["app-pr-12"] as any;
    const table = Object.values<any>(app.resource.aws_dynamodb_table)[0];
    expect(table.deletion_protection_enabled).toBe(false);
    expect(table.point_in_time_recovery?.enabled ?? false).toBe(false);
    const retention = Object.values<any>(app.resource.aws_cloudwatch_log_group).map((g) => g.retention_in_days);
    expect(retention.length).toBeGreaterThan(0);
    expect(retention.every((d) => d === PREVIEW_LOG_RETENTION_DAYS)).toBe(true);
  });
});
