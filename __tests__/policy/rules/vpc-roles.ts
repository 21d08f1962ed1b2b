/**
 * The two roles the VPC brings: the function's (network interfaces for Lambda) and the flow-log
 * role. Each gets what AWS documents it needs, inline, and no managed policy that grants more
 * (AWSLambdaVPCAccessExecutionRole also allows logs:CreateLogGroup/CreateLogStream/PutLogEvents on
 * every log group). Sources: docs/aws-behaviour.md ("Lambda in a VPC", "VPC flow logs").
 */
import { each, type PolicyContext, type Rule } from "../support/rule.js";
import {
  actionMatches,
  type Block,
  identityPolicies,
  managedPolicyArns,
  many,
  one,
  policyStatements,
  refsIn,
  type Statement,
} from "../support/tf-json.js";

/** AWS managed policies granting logs actions on Resource "*". */
const BROAD_LOGS_POLICIES = ["AWSLambdaVPCAccessExecutionRole", "AWSLambdaBasicExecutionRole", "CloudWatchLogsFullAccess"];

/** The Lambda developer guide's execution-role permissions for a function in a VPC. */
export const LAMBDA_ENI_ACTIONS = [
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
];
/** The VPC user guide's flow-log role permissions, but logs:CreateLogGroup (our group exists first). */
export const FLOW_LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"];

/** Inline statements of the role a reference (`${aws_iam_role.x.arn}`) points at. */
function roleStatements(ctx: PolicyContext, from: Block, roleRef: unknown): Statement[] {
  const ref = refsIn(roleRef).find((r) => r.type === "aws_iam_role");
  const role = ref && ctx.model.resolve(from, ref);
  if (!role) return [];
  return identityPolicies(ctx.model)
    .filter((p) => p.block.stack === role.stack && refsIn(p.block.body.role).some((r) => r.type === "aws_iam_role" && r.name === role.name))
    .flatMap((p) => p.statements);
}

const granted = (statements: Statement[], action: string) =>
  statements.filter((s) => s.effect === "Allow" && s.actions.some((a) => actionMatches(a, action)));

/** Resource "*" only for Describe actions (they take no narrower resource); everything else scoped. */
function scoped(statements: Statement[], actions: string[]): string | true {
  for (const action of actions) {
    const grants = granted(statements, action);
    if (grants.length === 0) return `missing ${action}`;
    if (!/:Describe/.test(action) && grants.some((s) => s.resources.includes("*"))) return `${action} on Resource *`;
  }
  return true;
}

export const vpcRoleRules: Rule[] = [
  {
    kind: "baseline",
    id: "GAP-10",
    title: "No role carries an AWS managed policy that grants logs actions on every log group",
    check: (ctx) =>
      managedPolicyArns(ctx.model)
        .filter((m) => BROAD_LOGS_POLICIES.some((name) => m.arn.endsWith(`/${name}`)))
        .map((m) => ({ resource: `${m.block.stack}/${m.block.address}`, problem: m.arn })),
  },
  {
    kind: "baseline",
    id: "GAP-11",
    title: "A function in a VPC has the network-interface actions Lambda documents, inline, writes scoped to its region and account",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_lambda_function").filter((f) => many(one(f.body.vpc_config)?.subnet_ids).length > 0),
        (f) => {
          const statements = roleStatements(ctx, f, f.body.role);
          const ok = scoped(statements, LAMBDA_ENI_ACTIONS);
          if (ok !== true) return ok;
          const writes = granted(statements, "ec2:CreateNetworkInterface").flatMap((s) => s.resources);
          const account = `arn:aws:ec2:${ctx.config.aws_region}:`;
          return (
            writes.every((r) => r.startsWith(account)) || `network-interface writes outside ${ctx.config.aws_region}: ${writes.join(", ")}`
          );
        },
      ),
  },
  {
    kind: "baseline",
    id: "GAP-12",
    title: "A flow-log role has the actions the VPC guide documents on its own log group, and trusts this account's flow logs only",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_flow_log").filter((f) => f.body.log_destination_type === "cloud-watch-logs"),
        (f) => {
          const statements = roleStatements(ctx, f, f.body.iam_role_arn);
          const ok = scoped(statements, FLOW_LOG_ACTIONS);
          if (ok !== true) return ok;
          const group = refsIn(f.body.log_destination).find((r) => r.type === "aws_cloudwatch_log_group");
          const onGroup = granted(statements, "logs:PutLogEvents").flatMap((s) => s.resources);
          if (!group || !onGroup.every((r) => r.includes(`aws_cloudwatch_log_group.${group.name}.arn`))) {
            return `logs:PutLogEvents beyond the flow log's own group: ${onGroup.join(", ")}`;
          }
          const role = ctx.model.resolve(f, refsIn(f.body.iam_role_arn).find((r) => r.type === "aws_iam_role")!)!;
          const trust = policyStatements(ctx.model, role, role.body.assume_role_policy);
          return trust.every((s) => s.conditions.StringEquals?.["aws:SourceAccount"]?.length) || "trust policy without aws:SourceAccount";
        },
      ),
  },
];
