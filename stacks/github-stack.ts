import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { GithubOidc, githubSubject } from "../modules/github-oidc.js";
import type { AppConfig } from "./config.js";
import {
  boundaryPolicyName,
  boundaryStatements,
  deployStatements,
  githubRoleNames,
  PROJECT_WIDE_STATE_DIR,
  type ProjectNames,
} from "./github-permissions.js";
import { configureStateBackend } from "./state-backend.js";

/** The stack's id: one per project and account, whatever the stage. */
export const GITHUB_STACK_ID = "github";

/** The branch whose pushes deploy (and whose schedule runs the drift check). */
export const DEPLOY_BRANCH = "main";

/**
 * The account side of deploying from GitHub Actions (config `github_repository`): the OIDC
 * provider, the deploy role (main branch), the preview role (pull requests) and the permissions
 * boundary. A stack of its own, not part of the registry stack: the registry stack exists once per
 * stage (every `pr-<n>` preview has one), while these exist once per project; and no role that
 * GitHub can assume may change them, so `npm run deploy` / `destroy` never touch this stack: an
 * administrator applies it once with `npm run bootstrap-github` (docs/github.md).
 */
export class GithubStack extends TerraformStack {
  readonly oidc: GithubOidc;

  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    const repository = config.github_repository;
    if (!repository) throw new Error("GithubStack needs github_repository");
    // One state for the project, whichever stage's config bootstraps it.
    configureStateBackend(this, id, { ...config, stage: PROJECT_WIDE_STATE_DIR });
    // Project-wide: no Stage tag (the stack is the same for every stage).
    new AwsProvider(this, "aws", {
      region: config.aws_region,
      defaultTags: [{ tags: { Project: config.project_name, ManagedBy: "cdktf", ...config.tags } }],
    });
    const accountId = new DataAwsCallerIdentity(this, "current").accountId;
    const stateRegion = config.state_region ?? config.aws_region;
    const names: ProjectNames = {
      accountId,
      regions: [...new Set([config.aws_region, "us-east-1"])],
      project: config.project_name,
      lambdaName: config.lambda_name,
      tableName: config.table_name,
      vpcName: config.vpc_name,
      frontendBucket: config.frontend_bucket_name,
      // The bucket `npm run bootstrap-state` names (scripts/deploy/bootstrap-state.ts), unless the config names one.
      stateBucket: config.state_bucket ?? `${config.project_name}-tfstate-${accountId}-${stateRegion}`,
    };
    const roleNames = githubRoleNames(config.project_name);
    this.oidc = new GithubOidc(this, "github_oidc", {
      repository,
      provider: config.github_oidc_provider,
      boundary: {
        name: boundaryPolicyName(config.project_name),
        description: `The most any role of ${config.project_name}'s stacks may do; the GitHub deploy roles create roles only with it`,
        statements: boundaryStatements(names),
      },
      roles: {
        deploy: {
          name: roleNames.deploy,
          description: `GitHub Actions on ${repository}@${DEPLOY_BRANCH}: deploys every stage of ${config.project_name}`,
          subject: githubSubject.branch(repository, DEPLOY_BRANCH),
          statements: deployStatements(names, "any"),
        },
        preview: {
          name: roleNames.preview,
          description: `GitHub Actions on pull requests of ${repository}: deploys and destroys pr-<number> stages`,
          subject: githubSubject.pullRequest(repository),
          statements: deployStatements(names, "preview"),
        },
      },
    });

    new TerraformOutput(this, "deploy_role_arn", { value: this.oidc.roles.deploy!.arn });
    new TerraformOutput(this, "preview_role_arn", { value: this.oidc.roles.preview!.arn });
    new TerraformOutput(this, "permissions_boundary_arn", { value: this.oidc.boundary.arn });
    new TerraformOutput(this, "oidc_provider_arn", { value: this.oidc.providerArn });
  }
}
