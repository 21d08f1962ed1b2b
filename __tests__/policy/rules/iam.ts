/**
 * IAM rules (docs/security.md, "IAM": roles, policies, provider).
 * The cloudsplaining checks (CKV_AWS_286-290) are approximated with the action families their
 * categories name; managed policy ARNs are judged by name only, as checkov does.
 */
import { type Finding, finding, type PolicyContext, type Rule } from "../support/rule.js";
import { actionMatches, identityPolicies, managedPolicyArns, policyStatements, type Statement } from "../support/tf-json.js";

/** Findings for identity-policy statements matching `bad`. */
function statements(ctx: PolicyContext, bad: (s: Statement) => string | false): Finding[] {
  const out: Finding[] = [];
  for (const p of identityPolicies(ctx.model)) {
    for (const s of p.statements) {
      const problem = s.effect === "Allow" && bad(s);
      if (problem) out.push(finding(p.block, `${s.sid ? `${s.sid}: ` : ""}${problem}`));
    }
  }
  return out;
}

/** Trust policies of roles. */
function trustStatements(ctx: PolicyContext, bad: (s: Statement) => string | false): Finding[] {
  const out: Finding[] = [];
  for (const role of ctx.model.resources("aws_iam_role")) {
    for (const s of policyStatements(ctx.model, role, role.body.assume_role_policy)) {
      const problem = s.effect === "Allow" && bad(s);
      if (problem) out.push(finding(role, problem));
    }
  }
  return out;
}

const coversAny = (s: Statement, actions: string[]) => actions.filter((a) => s.actions.some((p) => actionMatches(p, a)));
const onAnyResource = (s: Statement) => s.resources.includes("*");

/** Actions that take no resource-level restriction, so `Resource: "*"` is the only way to grant them. */
const UNRESTRICTABLE = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSampling*",
  "cloudwatch:PutMetricData",
  "ec2:Describe*",
  "sts:GetCallerIdentity",
  "logs:DescribeLogGroups",
  // The GitHub deploy roles' calls without a resource type in the service authorization reference
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
  "ecr:GetAuthorizationToken",
  "s3:ListAllMyBuckets",
  "lambda:GetAccountSettings",
  "route53:ListHostedZones",
  "route53:ListHostedZonesByName",
  "kms:ListAliases",
  "kms:CreateKey",
  "acm:RequestCertificate",
  "cognito-idp:CreateUserPool",
  "cognito-idp:DescribeUserPoolDomain",
];

const PRIVILEGE_ESCALATION = [
  "iam:PassRole",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:AttachUserPolicy",
  "iam:AttachRolePolicy",
  "iam:AttachGroupPolicy",
  "iam:PutUserPolicy",
  "iam:PutRolePolicy",
  "iam:PutGroupPolicy",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:UpdateAssumeRolePolicy",
  "iam:AddUserToGroup",
  "lambda:CreateFunction",
  "lambda:UpdateFunctionCode",
  "lambda:UpdateFunctionConfiguration",
  "sts:AssumeRole",
  "cloudformation:CreateStack",
  "glue:UpdateDevEndpoint",
  "ec2:RunInstances",
];
const CREDENTIALS_EXPOSURE = [
  "iam:CreateAccessKey",
  "iam:UpdateAccessKey",
  "iam:CreateServiceSpecificCredential",
  "iam:ResetServiceSpecificCredential",
  "sts:GetSessionToken",
  "sts:GetFederationToken",
  "sts:AssumeRole",
  "ecr:GetAuthorizationToken",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "redshift:GetClusterCredentials",
  "lightsail:GetInstanceAccessDetails",
  "chime:CreateApiKey",
];
const DATA_EXFILTRATION = [
  "s3:GetObject",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "secretsmanager:GetSecretValue",
  "rds:CopyDBSnapshot",
  "rds:CreateDBSnapshot",
];
const PERMISSIONS_MANAGEMENT = [
  "iam:*",
  "s3:PutBucketPolicy",
  "s3:PutBucketAcl",
  "s3:PutObjectAcl",
  "kms:CreateGrant",
  "kms:PutKeyPolicy",
  "lambda:AddPermission",
  "ecr:SetRepositoryPolicy",
  "sns:AddPermission",
  "sqs:AddPermission",
  "dynamodb:PutResourcePolicy",
];
const READ_ONLY_VERB = /^[a-z0-9-]+:(Get|List|Describe|BatchGet|Query|Scan|Head|Lookup|Search|Select|Validate)/i;

export const iamRules: Rule[] = [
  {
    kind: "baseline",
    id: "CKV_AWS_60",
    title: "IAM roles cannot be assumed by everyone",
    check: (ctx) =>
      trustStatements(
        ctx,
        (s) => (s.principals?.["*"]?.includes("*") || s.principals?.AWS?.includes("*")) === true && "trusts Principal *",
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_61",
    title: "IAM roles do not trust a whole AWS account",
    check: (ctx) =>
      trustStatements(ctx, (s) => {
        const accounts = (s.principals?.AWS ?? []).filter((p) => /^\d{12}$|:root$/.test(p));
        return accounts.length > 0 && `trusts account ${accounts.join(", ")}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_393",
    title: "IAM roles trusting GitHub OIDC pin the subject claim",
    check: (ctx) =>
      trustStatements(ctx, (s) => {
        if (!s.principals?.Federated?.some((f) => f.includes("token.actions.githubusercontent.com"))) return false;
        const subs = Object.values(s.conditions).flatMap((c) => c["token.actions.githubusercontent.com:sub"] ?? []);
        return (subs.length === 0 || subs.some((v) => v === "*" || v.startsWith("repo:*"))) && "GitHub OIDC trust without a pinned sub";
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_274",
    title: "IAM roles have no AdministratorAccess",
    check: (ctx) =>
      managedPolicyArns(ctx.model)
        .filter((m) => m.arn.endsWith(":policy/AdministratorAccess"))
        .map((m) => finding(m.block, m.arn)),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_56",
    title: "IAM roles have no IAMFullAccess",
    check: (ctx) =>
      managedPolicyArns(ctx.model)
        .filter((m) => m.arn.endsWith(":policy/IAMFullAccess"))
        .map((m) => finding(m.block, m.arn)),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_62",
    title: "IAM policies grant no full admin (Action * on Resource *)",
    check: (ctx) => statements(ctx, (s) => s.actions.includes("*") && onAnyResource(s) && "Action * on Resource *"),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_63",
    title: "IAM policies allow no Action *",
    check: (ctx) => statements(ctx, (s) => s.actions.includes("*") && "Action *"),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_40",
    title: "IAM policies grant no full IAM access (iam:* or *)",
    check: (ctx) => statements(ctx, (s) => s.actions.some((a) => a === "*" || a.toLowerCase() === "iam:*") && "iam:* / *"),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_355",
    title: "IAM policies use Resource * only for actions that cannot be restricted",
    check: (ctx) =>
      statements(ctx, (s) => {
        if (!onAnyResource(s)) return false;
        const restrictable = s.actions.filter((a) => !UNRESTRICTABLE.some((u) => actionMatches(u, a)));
        return restrictable.length > 0 && `Resource * for ${restrictable.join(", ")}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_286",
    title: "IAM policies allow no privilege escalation",
    check: (ctx) =>
      statements(ctx, (s) => coversAny(s, PRIVILEGE_ESCALATION).length > 0 && `allows ${coversAny(s, PRIVILEGE_ESCALATION).join(", ")}`),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_287",
    title: "IAM policies allow no credentials exposure",
    check: (ctx) =>
      statements(ctx, (s) => coversAny(s, CREDENTIALS_EXPOSURE).length > 0 && `allows ${coversAny(s, CREDENTIALS_EXPOSURE).join(", ")}`),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_288",
    title: "IAM policies allow no data exfiltration on any resource",
    check: (ctx) =>
      statements(
        ctx,
        (s) =>
          onAnyResource(s) && coversAny(s, DATA_EXFILTRATION).length > 0 && `Resource * for ${coversAny(s, DATA_EXFILTRATION).join(", ")}`,
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_289",
    title: "IAM policies allow no unconstrained permissions management",
    check: (ctx) =>
      statements(
        ctx,
        (s) =>
          onAnyResource(s) &&
          coversAny(s, PERMISSIONS_MANAGEMENT).length > 0 &&
          `Resource * for ${coversAny(s, PERMISSIONS_MANAGEMENT).join(", ")}`,
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_290",
    title: "IAM policies allow no unconstrained write access",
    check: (ctx) =>
      statements(ctx, (s) => {
        if (!onAnyResource(s)) return false;
        const writes = s.actions.filter((a) => !READ_ONLY_VERB.test(a) && !UNRESTRICTABLE.some((u) => actionMatches(u, a)));
        return writes.length > 0 && `Resource * for ${writes.join(", ")}`;
      }),
  },
  {
    kind: "baseline",
    id: "AWS-0342",
    title: "IAM policies scope iam:PassRole to named roles",
    check: (ctx) =>
      statements(ctx, (s) => onAnyResource(s) && s.actions.some((a) => actionMatches(a, "iam:PassRole")) && "iam:PassRole on Resource *"),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_41",
    title: "The AWS provider has no hard-coded credentials",
    check: (ctx) =>
      ctx.model
        .providers("aws")
        .filter((p) => p.access_key || p.secret_key || p.token)
        .map((p) => ({ resource: `provider.aws${p.alias ? `.${p.alias}` : ""}`, problem: "hard-coded access_key/secret_key/token" })),
  },
];
