/**
 * Deploys from GitHub Actions (docs/github.md): the OIDC provider, the deploy and preview roles'
 * trust and permissions, and the permissions boundary, over the synthesized `github` variant; and
 * none of it in any variant without `github_repository`.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { describe, expect, test } from "vitest";
import { parseConfig } from "../../stacks/config.js";
import {
  boundaryPolicyName,
  DEPLOY_CALLS_WITHOUT_RESOURCE,
  githubRoleNames,
  SERVICE_OF_TERRAFORM_TYPE,
} from "../../stacks/github-permissions.js";
import { GITHUB_STACK_ID, GithubStack } from "../../stacks/github-stack.js";
import { requirePermissionsBoundary } from "../../stacks/permissions-boundary.js";
import { synthVariant, VARIANT_NAMES } from "../support/variants.js";
import { actionMatches, type Block, policyStatements, type Statement, TfModel } from "./support/tf-json.js";

const REPO = "octo-org/octo-repo";
const variant = () => synthVariant("github");
const model = () => new TfModel(variant().stacks);
const role = (key: "deploy" | "preview") => {
  const name = githubRoleNames(variant().config.project_name)[key];
  return model()
    .resources("aws_iam_role")
    .find((r) => r.body.name === name)!;
};
const rolePolicy = (key: "deploy" | "preview"): Statement[] => {
  const m = model();
  const policy = m.resources("aws_iam_role_policy").find((p) => p.body.name === role(key).body.name)!;
  return policyStatements(m, policy, policy.body.policy);
};
const allows = (statements: Statement[], action: string, resource?: (r: string) => boolean) =>
  statements.some(
    (s) =>
      s.effect === "Allow" &&
      s.actions.some((a) => actionMatches(a, action)) &&
      (!resource || s.resources.some(resource)) &&
      !statements.some(
        (d) => d.effect === "Deny" && d.actions.some((a) => actionMatches(a, action)) && (!resource || d.resources.some(resource)),
      ),
  );
/** Does an IAM resource pattern (`*` wildcards) match a concrete ARN? */
const arnMatches = (pattern: string, arn: string) =>
  new RegExp(
    `^${pattern
      .replace(/\$\{[^}]+\}/g, "123456789012")
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")}$`,
  ).test(arn);

describe("the GitHub OIDC provider", () => {
  test("is created for token.actions.githubusercontent.com with the STS audience, without a pinned thumbprint", () => {
    const providers = model().resources("aws_iam_openid_connect_provider");
    expect(providers).toHaveLength(1);
    expect(providers[0]!.stack).toBe(GITHUB_STACK_ID);
    expect(providers[0]!.body).toMatchObject({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] });
    expect(providers[0]!.body.thumbprint_list).toBeUndefined();
  });

  test('github_oidc_provider "reuse" reads the account\'s provider instead of creating a second one', () => {
    const parsed = parseConfig({ github_repository: REPO, github_oidc_provider: "reuse" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const stack = JSON.parse(Testing.synth(new GithubStack(Testing.app(), GITHUB_STACK_ID, parsed.config)));
    expect(stack.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(Object.values<any>(stack.data.aws_iam_openid_connect_provider)).toEqual([
      expect.objectContaining({ url: "https://token.actions.githubusercontent.com" }),
    ]);
    const trust = JSON.parse(Object.values<any>(stack.resource.aws_iam_role)[0].assume_role_policy);
    expect(trust.Statement[0].Principal.Federated).toMatch(/^\$\{data\.aws_iam_openid_connect_provider\./);
  });
});

describe("the roles' trust", () => {
  test.each([
    ["deploy", `repo:${REPO}:ref:refs/heads/main`],
    ["preview", `repo:${REPO}:pull_request`],
  ] as const)("the %s role trusts only aud sts.amazonaws.com and the exact sub %s", (key, sub) => {
    const r = role(key);
    const trust = policyStatements(model(), r, r.body.assume_role_policy);
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      effect: "Allow",
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: { Federated: [expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\./)] },
    });
    // StringEquals only: no StringLike, so no pattern can widen the subject.
    expect(trust[0]!.conditions).toEqual({
      StringEquals: { "token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"], "token.actions.githubusercontent.com:sub": [sub] },
    });
  });

  test("the github stack keeps one state for the project, whatever the stage", () => {
    expect(variant().stacks.github!.terraform.backend.s3.key).toBe("serverless-starter/_project/github.tfstate");
  });

  test("bad repositories are refused before anything is synthesized", () => {
    for (const bad of ["*", "octo-org/*", "octo-org", "octo-org/a/b", "repo:octo-org/x", "-org/x", "org/..", "org/x y"]) {
      const parsed = parseConfig({ github_repository: bad });
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.problems[0]!.key).toBe("github_repository");
    }
    expect(parseConfig({ github_repository: "Octo-Org/my.repo_1-x" }).ok).toBe(true);
    const reuse = parseConfig({ github_oidc_provider: "reuse" });
    expect(reuse.ok).toBe(false);
    // GitHub's jobs start from an empty checkout: local state would be lost after every run
    const local = parseConfig({ github_repository: REPO, state_backend: "local" });
    expect(local.ok === false && local.problems.map((p) => p.key)).toEqual(["state_backend"]);
  });
});

describe("the roles' permissions", () => {
  const deployTypes = () => {
    const types = new Set<string>();
    for (const v of VARIANT_NAMES) {
      for (const b of new TfModel(synthVariant(v).stacks).blocks) {
        if (b.stack !== GITHUB_STACK_ID && b.type.startsWith("aws_")) types.add(b.type);
      }
    }
    return [...types].sort();
  };

  test("every resource and data source type of the registry and app stacks (every variant) is one the deploy role may manage", () => {
    const statements = rolePolicy("deploy");
    const unmapped = deployTypes().filter((t) => !SERVICE_OF_TERRAFORM_TYPE[t]);
    expect(unmapped, "add the type to SERVICE_OF_TERRAFORM_TYPE and its actions to deployStatements").toEqual([]);
    const ungranted = deployTypes().filter(
      (t) => !statements.some((s) => s.effect === "Allow" && s.actions.some((a) => a.startsWith(`${SERVICE_OF_TERRAFORM_TYPE[t]}:`))),
    );
    expect(ungranted).toEqual([]);
  });

  test("the deploy covers what npm run deploy calls itself: registry login and push, Lambda limits, identity, state with its lock file", () => {
    const s = rolePolicy("deploy");
    for (const action of DEPLOY_CALLS_WITHOUT_RESOURCE)
      expect(
        allows(s, action, (r) => r === "*"),
        action,
      ).toBe(true);
    const repo = "arn:aws:ecr:us-east-1:123456789012:repository/backend-api-prod";
    for (const action of [
      "ecr:PutImage",
      "ecr:BatchGetImage",
      "ecr:DescribeImages",
      "ecr:InitiateLayerUpload",
      "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload",
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchDeleteImage",
    ]) {
      expect(
        allows(s, action, (r) => arnMatches(r, repo)),
        action,
      ).toBe(true);
    }
    const bucket = "arn:aws:s3:::serverless-starter-tfstate-123456789012-us-east-1";
    expect(allows(s, "s3:ListBucket", (r) => arnMatches(r, bucket))).toBe(true);
    for (const key of [
      "serverless-starter/prod/app-prod.tfstate",
      "serverless-starter/prod/app-prod.tfstate.tflock",
      "serverless-starter/prod/deploy-record.json",
    ]) {
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
        expect(
          allows(s, action, (r) => arnMatches(r, `${bucket}/${key}`)),
          `${action} ${key}`,
        ).toBe(true);
      }
    }
    // ...but not the bucket itself, nor its history.
    expect(allows(s, "s3:DeleteBucket", (r) => arnMatches(r, bucket))).toBe(false);
    expect(allows(s, "s3:DeleteObjectVersion", (r) => arnMatches(r, `${bucket}/serverless-starter/prod/app-prod.tfstate`))).toBe(false);
    // nor the github stack's own state (the administrator's)
    expect(allows(s, "s3:PutObject", (r) => arnMatches(r, `${bucket}/serverless-starter/_project/github.tfstate`))).toBe(false);
  });

  test("no AdministratorAccess, no Action *, no iam:* granted", () => {
    for (const key of ["deploy", "preview"] as const) {
      const s = rolePolicy(key).filter((x) => x.effect === "Allow");
      expect(s.flatMap((x) => x.actions).filter((a) => a === "*" || a.toLowerCase() === "iam:*")).toEqual([]);
    }
    expect(
      model()
        .resources("aws_iam_role_policy_attachment")
        .filter((a) => a.stack === GITHUB_STACK_ID),
    ).toEqual([]);
  });

  test("roles are created and changed only with the boundary attached, and the boundary cannot be removed or edited", () => {
    for (const key of ["deploy", "preview"] as const) {
      const s = rolePolicy(key);
      const boundary = `arn:aws:iam::\${data.aws_caller_identity.current.account_id}:policy/${boundaryPolicyName("serverless-starter")}`;
      for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]) {
        const granting = s.filter((x) => x.effect === "Allow" && x.actions.some((a) => actionMatches(a, action)));
        expect(granting.length, action).toBeGreaterThan(0);
        for (const g of granting) expect(g.conditions, action).toEqual({ StringEquals: { "iam:PermissionsBoundary": [boundary] } });
      }
      const denied = s.filter((x) => x.effect === "Deny");
      for (const action of [
        "iam:DeleteRolePermissionsBoundary",
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
      ]) {
        expect(
          denied.some((d) => d.actions.includes(action) && d.resources.includes(boundary)),
          action,
        ).toBe(true);
      }
      const roles = githubRoleNames("serverless-starter");
      for (const r of [roles.deploy, roles.preview]) {
        expect(
          denied.some((d) => d.actions.includes("iam:*") && d.resources.some((x) => x.endsWith(`:role/${r}`))),
          r,
        ).toBe(true);
      }
      // PassRole only to the services that use the stacks' roles.
      const pass = s.filter((x) => x.effect === "Allow" && x.actions.includes("iam:PassRole"));
      expect(pass.map((p) => p.conditions)).toEqual([
        { StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "vpc-flow-logs.amazonaws.com"] } },
      ]);
    }
  });

  test("the preview role reaches only pr-<number> stages wherever the resource has a name", () => {
    const s = rolePolicy("preview");
    const preview = "arn:aws:lambda:us-east-1:123456789012:function:backend-api-pr-12";
    const main = "arn:aws:lambda:us-east-1:123456789012:function:backend-api";
    expect(allows(s, "lambda:UpdateFunctionCode", (r) => arnMatches(r, preview))).toBe(true);
    expect(allows(s, "lambda:UpdateFunctionCode", (r) => arnMatches(r, main))).toBe(false);
    expect(allows(s, "dynamodb:DeleteTable", (r) => arnMatches(r, "arn:aws:dynamodb:us-east-1:123456789012:table/users-prod"))).toBe(false);
    expect(allows(s, "dynamodb:DeleteTable", (r) => arnMatches(r, "arn:aws:dynamodb:us-east-1:123456789012:table/users-pr-7"))).toBe(true);
    const state = "arn:aws:s3:::serverless-starter-tfstate-123456789012-us-east-1/serverless-starter";
    expect(allows(s, "s3:PutObject", (r) => arnMatches(r, `${state}/pr-7/app-pr-7.tfstate.tflock`))).toBe(true);
    expect(allows(s, "s3:PutObject", (r) => arnMatches(r, `${state}/prod/app-prod.tfstate`))).toBe(false);
    // every name-scoped resource the preview role may change carries the preview stage
    const named = s
      .filter((x) => x.effect === "Allow" && !x.actions.every((a) => /^[a-z0-9-]+:(Get|List|Describe|View)/.test(a)))
      .flatMap((x) => x.resources)
      .filter((r) => /:(function|table|repository|log-group|alarm|budget|role)[:/]|^arn:aws:s3:::/.test(r) && !r.includes("tfstate"));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((r) => !r.includes("-pr-*"))).toEqual([]);
  });

  test("each role's inline policy fits IAM's 10,240-character limit for a role's inline policies", () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (whitespace does not count)
    for (const key of ["deploy", "preview"] as const) {
      const m = model();
      const policy = m.resources("aws_iam_role_policy").find((p) => p.body.name === role(key).body.name)!;
      const real = String(policy.body.policy).replace(/\$\{data\.aws_caller_identity\.current\.account_id\}/g, "123456789012");
      expect(real.replace(/\s/g, "").length, key).toBeLessThan(10_240);
    }
  });
});

describe("the permissions boundary", () => {
  test("every role of the registry and app stacks carries it (an aspect: roles added later too)", () => {
    const m = model();
    const roles = m.resources("aws_iam_role").filter((r) => r.stack !== GITHUB_STACK_ID);
    expect(roles.map((r) => r.body.name).sort()).toEqual([
      "backend-api-prod-us-east-1",
      "serverless-starter-prod-vpc-flow-log-us-east-1",
      "serverless-starter-spend-stop-prod-us-east-1",
    ]);
    for (const r of roles) {
      expect(r.body.permissions_boundary, r.address).toBe("${data.aws_iam_policy.permissions_boundary.arn}");
      const lookup = m.resolve(r, { mode: "data", type: "aws_iam_policy", name: "permissions_boundary" });
      expect(lookup?.body.arn).toMatch(new RegExp(`:policy/${boundaryPolicyName("serverless-starter")}$`));
    }
    const policy = m.resources("aws_iam_policy").find((p) => p.stack === GITHUB_STACK_ID)!;
    expect(policy.body.name).toBe(boundaryPolicyName("serverless-starter"));
  });

  test("a role any construct adds later gets it too", () => {
    const parsed = parseConfig({ github_repository: REPO });
    if (!parsed.ok) throw new Error("config");
    const stack = new TerraformStack(Testing.app(), "later");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    requirePermissionsBoundary(stack, parsed.config);
    new IamRole(stack, "added_later", { name: "serverless-starter-extra", assumeRolePolicy: "{}" });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.aws_iam_role.added_later.permissions_boundary).toBe("${data.aws_iam_policy.permissions_boundary.arn}");
  });

  test("it grants no IAM, no role assumption and no Action *", () => {
    const m = model();
    const policy = m.resources("aws_iam_policy").find((p) => p.stack === GITHUB_STACK_ID)!;
    const actions = policyStatements(m, policy, policy.body.policy).flatMap((s) => s.actions);
    expect(actions.filter((a) => /^(iam|sts|organizations):/i.test(a) || a === "*")).toEqual([]);
  });
});

describe("without github_repository", () => {
  test.each(VARIANT_NAMES.filter((v) => v !== "github"))("variant %s has no github stack, provider, boundary or federated role", (name) => {
    const m = new TfModel(synthVariant(name).stacks);
    expect(Object.keys(synthVariant(name).stacks)).not.toContain(GITHUB_STACK_ID);
    expect(m.resources("aws_iam_openid_connect_provider")).toEqual([]);
    expect(m.data("aws_iam_openid_connect_provider")).toEqual([]);
    expect(m.resources("aws_iam_policy")).toEqual([]);
    expect(m.data("aws_iam_policy")).toEqual([]);
    const bounded = m.resources("aws_iam_role").filter((r: Block) => r.body.permissions_boundary !== undefined);
    expect(bounded).toEqual([]);
    const federated = m.resources("aws_iam_role").filter((r) => String(r.body.assume_role_policy).includes("Federated"));
    expect(federated).toEqual([]);
  });

  test("buildApp adds the github stack only with the key", () => {
    expect(new App().node.children.length).toBe(0); // sanity: a bare app has no stacks
    expect(Object.keys(variant().stacks).sort()).toEqual(["app-prod", GITHUB_STACK_ID, "registry-prod"]);
  });
});
