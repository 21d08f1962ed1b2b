/**
 * `npm run bootstrap-github`: applies the project-wide `github` stack (stacks/github-stack.ts) with
 * the caller's own (administrator) credentials: the GitHub OIDC provider, the deploy and preview
 * roles and the permissions boundary. Run once per account (and again after changing
 * github_repository or the permissions); it prints the repository variables the workflows read.
 * `npm run deploy` / `diff` / `destroy` never touch this stack, and no role GitHub can assume may
 * change it (docs/github.md).
 */
import { GITHUB_STACK_ID } from "../../stacks/github-stack.js";
import { checkPrerequisites } from "./prerequisites.js";
import { deployStack, outputs, type SessionOptions, synth, withSession } from "./session.js";
import { openState } from "./shared-state.js";

export type BootstrapGithubOptions = Omit<SessionOptions, "stage">;

/** The repository variables the workflows read (.github/workflows/*.yml), by the stack output they come from. */
export const REPOSITORY_VARIABLES = {
  AWS_DEPLOY_ROLE_ARN: "deploy_role_arn",
  AWS_PREVIEW_ROLE_ARN: "preview_role_arn",
} as const;

export interface BootstrapGithubResult {
  variables: Record<string, string>;
}

export async function runBootstrapGithub(options: BootstrapGithubOptions): Promise<BootstrapGithubResult> {
  return withSession("Bootstrap GitHub roles for", options, async (session) => {
    const { project, runner, stage } = session;
    const { config } = stage;
    if (!config.github_repository) {
      runner.refuse(
        "check github_repository",
        "github_repository is not set in the config: there is no repository to trust.",
        'add "github_repository": "<owner>/<name>" to the config (docs/github.md), then re-run',
      );
    }
    const pre = await checkPrerequisites(runner, stage, stage.env, { container: false, cwd: project.root, outDir: project.outDir });
    // The github stack's state goes in the shared state bucket, created here if this is the account's first use.
    await openState(session, pre.account, "deploy");
    await synth(session);
    await deployStack(session, pre.terraform, GITHUB_STACK_ID);
    const out = await outputs(session, pre.terraform, GITHUB_STACK_ID, {
      deploy_role_arn: `arn:aws:iam::${pre.account}:role/<deploy role>`,
      preview_role_arn: `arn:aws:iam::${pre.account}:role/<preview role>`,
    });
    const variables: Record<string, string> = { AWS_REGION: config.aws_region };
    for (const [name, output] of Object.entries(REPOSITORY_VARIABLES)) variables[name] = String(out[output] ?? "");
    runner.say("");
    runner.say(
      `Set these repository variables on ${config.github_repository} (Settings > Secrets and variables > Actions > Variables; none is a secret):`,
    );
    for (const [name, value] of Object.entries(variables)) runner.say(`  ${name}=${value}`);
    runner.say(
      `or with the GitHub CLI: ${Object.entries(variables)
        .map(([n, v]) => `gh variable set ${n} --body '${v}'`)
        .join(" && ")}`,
    );
    return { variables };
  });
}
