import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicy } from "@cdktf/provider-aws/lib/data-aws-iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Aspects, type IAspect, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { AppConfig } from "./config.js";
import { boundaryPolicyArn } from "./github-permissions.js";

/**
 * With `github_repository`, every IAM role of the stack carries the project's permissions boundary
 * (stacks/github-permissions.ts): the deploy roles may create roles only with it attached. An
 * aspect, so a role added by any construct later gets it too. The boundary is read, not named
 * blindly: a plan before `npm run bootstrap-github` stops on the missing policy instead of failing
 * half-way through an apply on CreateRole.
 */
export function requirePermissionsBoundary(stack: TerraformStack, config: AppConfig): void {
  if (!config.github_repository) return;
  Aspects.of(stack).add(new PermissionsBoundary(stack, config.project_name));
}

class PermissionsBoundary implements IAspect {
  private arn: string | undefined;

  constructor(
    private readonly stack: TerraformStack,
    private readonly project: string,
  ) {}

  visit(node: IConstruct): void {
    if (!(node instanceof IamRole)) return;
    this.arn ??= this.lookup();
    node.permissionsBoundary = this.arn;
  }

  private lookup(): string {
    const account = new DataAwsCallerIdentity(this.stack, "boundary_account").accountId;
    return new DataAwsIamPolicy(this.stack, "permissions_boundary", { arn: boundaryPolicyArn(account, this.project) }).arn;
  }
}
