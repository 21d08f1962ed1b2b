/**
 * npm run bootstrap-github applies the project-wide github stack and prints the repository
 * variables; deploy, diff and destroy of any stage never touch that stack; a deploy on GitHub
 * Actions puts its URLs in the job summary (docs/github.md).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPOSITORY_VARIABLES, runBootstrapGithub } from "../../scripts/deploy/bootstrap-github.js";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { runDestroy } from "../../scripts/deploy/destroy.js";
import { runDiff } from "../../scripts/deploy/diff.js";
import { type Fixture, freshFixture, setDeployedOutputs, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
  setDeployedOutputs(fx);
  fx.setOutputs("github", {
    deploy_role_arn: "arn:aws:iam::123456789012:role/serverless-starter-github-deploy",
    preview_role_arn: "arn:aws:iam::123456789012:role/serverless-starter-github-preview",
  });
});
afterEach(() => fx.cleanup());

const githubCalls = () => fx.calls().filter((c) => c.tool === "terraform" && c.args[0] === "-chdir=cdktf.out/stacks/github");

describe("npm run bootstrap-github", () => {
  it("without github_repository refuses before running anything", async () => {
    await expect(runBootstrapGithub(fx.options({ yes: true }))).rejects.toThrow(/github_repository/);
    expect(fx.printed()).toContain('add "github_repository": "<owner>/<name>"');
    expect(fx.calls().filter((c) => c.tool === "terraform")).toEqual([]);
  });

  it("applies the github stack alone and prints the repository variables to set", async () => {
    const config = fx.writeConfig({ github_repository: "octo-org/octo-repo" });
    const result = await runBootstrapGithub(fx.options({ yes: true, env: { APP_CONFIG: config } }));
    expect(githubCalls().map((c) => c.args[1])).toEqual(expect.arrayContaining(["init", "plan", "apply"]));
    const others = fx.calls().filter((c) => c.tool === "terraform" && /stacks\/(registry|app)/.test(c.args[0] ?? ""));
    expect(others).toEqual([]);
    expect(Object.keys(REPOSITORY_VARIABLES).every((v) => v in result.variables)).toBe(true);
    expect(result.variables).toEqual({
      AWS_REGION: "us-east-1",
      AWS_DEPLOY_ROLE_ARN: "arn:aws:iam::123456789012:role/serverless-starter-github-deploy",
      AWS_PREVIEW_ROLE_ARN: "arn:aws:iam::123456789012:role/serverless-starter-github-preview",
    });
    expect(fx.printed()).toContain("AWS_DEPLOY_ROLE_ARN=arn:aws:iam::123456789012:role/serverless-starter-github-deploy");
  });

  it("deploy, diff and destroy of a stage leave the github stack alone", async () => {
    const config = fx.writeConfig({ github_repository: "octo-org/octo-repo" });
    const env = { APP_CONFIG: config };
    await runDeploy(fx.options({ yes: true, env }));
    await runDiff(fx.options({ env }));
    await runDestroy(fx.options({ yes: true, force: true, env }));
    expect(fx.calls().some((c) => c.tool === "terraform" && c.args[0] === "-chdir=cdktf.out/stacks/app")).toBe(true);
    expect(githubCalls()).toEqual([]);
  });
});

describe("the deploy on GitHub Actions", () => {
  it("appends the stage's URLs to the job summary file GITHUB_STEP_SUMMARY names", async () => {
    const summary = join(fx.root, "..", "step-summary.md");
    writeFileSync(summary, "earlier step\n");
    await runDeploy(fx.options({ yes: true, env: { GITHUB_STEP_SUMMARY: summary } }));
    const text = readFileSync(summary, "utf8");
    expect(text).toMatch(/^earlier step\n### Stage `dev` deployed/);
    expect(text).toContain("| Web | https://d1.cloudfront.net |");
    expect(text).toContain("| API | https://a.example |");
  });

  it("writes no summary outside GitHub Actions", async () => {
    await runDeploy(fx.options({ yes: true }));
    expect(fx.printed()).not.toContain("job summary");
  });
});
