/**
 * GitHub Actions' way into the account without stored keys: the account's OIDC identity provider
 * for token.actions.githubusercontent.com (created, or the existing one reused: IAM keeps one
 * provider per URL), and roles whose trust accepts only tokens for AWS STS (`aud`) from one
 * repository, each role pinned to one exact subject (`sub`), e.g. its main branch or its pull
 * requests. GitHub's guide:
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * AWS's: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument } from "./iam-policy.js";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The `sub` claim GitHub puts in a job's token (docs.github.com, "About security hardening with OpenID Connect"). */
export const githubSubject = {
  /** A job run for a push to (or a schedule on) a branch, without an environment. */
  branch: (repository: string, branch: string) => `repo:${repository}:ref:refs/heads/${branch}`,
  /** A job run for a `pull_request` event, without an environment. */
  pullRequest: (repository: string) => `repo:${repository}:pull_request`,
};

export interface GithubRoleProps {
  readonly name: string;
  readonly description: string;
  /** The one `sub` claim allowed to assume the role (never a wildcard). */
  readonly subject: string;
  readonly statements: PolicyStatement[];
  /** How long a job's credentials last, seconds. @default 3600 */
  readonly maxSessionDuration?: number;
}

export interface GithubOidcProps {
  /** "owner/name". */
  readonly repository: string;
  /** Create the account's provider, or reuse the one that exists. @default "create" */
  readonly provider?: "create" | "reuse";
  readonly roles: Record<string, GithubRoleProps>;
  /** The permissions boundary the deploy roles must attach to every role they create. */
  readonly boundary: { readonly name: string; readonly description: string; readonly statements: PolicyStatement[] };
}

export class GithubOidc extends Construct {
  readonly providerArn: string;
  readonly roles: Record<string, IamRole>;
  readonly boundary: IamPolicy;

  constructor(scope: Construct, id: string, props: GithubOidcProps) {
    super(scope, id);
    if (!/^[^/*?]+\/[^/*?]+$/.test(props.repository)) {
      throw new Error(`GithubOidc: repository must be "owner/name" without wildcards, got "${props.repository}"`);
    }
    const url = `https://${GITHUB_OIDC_HOST}`;
    // Since July 2023 IAM verifies this provider against its own trusted CAs and ignores
    // thumbprints, so none is given (https://github.blog/changelog/2023-07-13-github-actions-oidc-integration-with-aws-no-longer-requires-pinning-of-intermediate-tls-certificates/).
    this.providerArn =
      (props.provider ?? "create") === "create"
        ? new IamOpenidConnectProvider(this, "provider", { url, clientIdList: [STS_AUDIENCE] }).arn
        : new DataAwsIamOpenidConnectProvider(this, "provider", { url }).arn;

    this.boundary = new IamPolicy(this, "boundary", {
      name: props.boundary.name,
      description: props.boundary.description,
      policy: policyDocument(props.boundary.statements),
    });

    this.roles = {};
    for (const [key, role] of Object.entries(props.roles)) {
      if (/[*?]/.test(role.subject) || !role.subject.startsWith(`repo:${props.repository}:`)) {
        throw new Error(`GithubOidc: role ${key} must trust one exact subject of ${props.repository}, got "${role.subject}"`);
      }
      const iamRole = new IamRole(this, `${key}_role`, {
        name: role.name,
        description: role.description,
        maxSessionDuration: role.maxSessionDuration ?? 3600,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Federated: this.providerArn },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: {
                StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: role.subject },
              },
            },
          ],
        }),
      });
      new IamRolePolicy(this, `${key}_policy`, { name: role.name, role: iamRole.id, policy: policyDocument(role.statements) });
      this.roles[key] = iamRole;
    }
  }
}
