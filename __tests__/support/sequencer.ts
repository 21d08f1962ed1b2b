/**
 * The order vitest starts test files in (vitest.config.ts, `sequence.sequencer`). Its own order is
 * longest first by the durations cached from earlier runs on this machine, and largest file first
 * without a cache: in a fresh clone (CI) the two re-run files, seven lines each and over ten
 * seconds each, started last and kept the run going while the other workers had nothing left; and
 * a focused `vitest run <file> -t <name>` caches a file as short, which sends it to the end of the
 * next whole run too. The files below, the longest (seconds measured in whole runs), start first
 * in that order whatever the cache says; the rest keep vitest's order. Only the order changes: a
 * stale entry costs time, never a test. Projects stay apart (a shared worker keeps its modules
 * only while the next queued file belongs to the same project).
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Longest first; paths from the project root. */
export const LONGEST_FILES = [
  "__tests__/deploy/rerun-from-push.test.ts", // 12-15 s
  "__tests__/deploy/image.test.ts", // 12-14 s
  "__tests__/deploy/rerun-until-build.test.ts", // 12 s
  "__tests__/infra/config.test.ts", // 8-9 s, `cdktf synth` as a process
  "__tests__/deploy/destroy.test.ts", // 7-9 s
  "__tests__/local/dev-command.test.ts", // 8 s, `npm run dev` processes
  "__tests__/local/dev-signals.test.ts", // 7-8 s
  "__tests__/deploy/interrupt.test.ts", // 7 s
  "__tests__/deploy/shared-state.test.ts", // 7 s
  "__tests__/deploy/cli.test.ts", // 5-7 s, the real dry run
  "__tests__/deploy/deploy.test.ts", // 5-7 s
  "__tests__/deploy/smoke-check.test.ts", // 5-6 s
  "__tests__/backend/retry-safety.test.ts", // 5-6 s
  "__tests__/deploy/stage-region.test.ts", // 4-5 s
  "__tests__/infra/update-safety.test.ts", // 4-6 s
  "__tests__/policy/policy.test.ts", // 3-6 s
  "__tests__/policy/github-oidc.test.ts", // 3-5 s
  "__tests__/deploy/diff.test.ts", // 3-4 s
  "__tests__/deploy/recorded-image.test.ts", // 3-4 s
  "__tests__/deploy/replacement-guard.test.ts", // 3-5 s
  "__tests__/tooling/interrupt.test.ts", // 4-5 s
  "__tests__/backend/outage.test.ts", // 3-4 s
  "__tests__/infra/synth-command.test.ts", // 3 s, `npm run synth` as a process
  "__tests__/tooling/cli.test.ts", // 2-3 s
  "__tests__/deploy/account-checks.test.ts", // 2-3 s
  "__tests__/deploy/terraform-errors.test.ts", // 2 s
  "__tests__/cost/levers.test.ts", // 2 s
];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root.replace(/\/?$/, "/");
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FILES.indexOf(f.moduleId.startsWith(root) ? f.moduleId.slice(root.length) : f.moduleId);
      return i < 0 ? LONGEST_FILES.length : i;
    };
    const position = new Map(sorted.map((f, i) => [f, i]));
    return [...sorted].sort(
      (a, b) =>
        projects.indexOf(a.project.name) - projects.indexOf(b.project.name) || rank(a) - rank(b) || position.get(a)! - position.get(b)!,
    );
  }
}
