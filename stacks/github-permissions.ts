/**
 * What the GitHub Actions roles may do (docs/github.md, "Permissions"), as plain policy statements:
 *
 * - the deploy role (main branch, and the nightly drift check): terraform on every resource of the
 *   registry and app stacks of any stage, the state objects, the image push, and the AWS calls
 *   `npm run deploy` / `diff` / `destroy` make themselves;
 * - the preview role (pull requests): the same, but only on names of `pr-<number>` stages wherever a
 *   service names its resources (the stage rides in the name: `<base>-pr-12`);
 * - the permissions boundary every role the registry and app stacks create carries: what the app's
 *   own roles (function, flow logs, and any added later) may ever do, with no IAM at all.
 *
 * Resources are scoped by the names the stacks give them (stacks/config.ts); where AWS assigns the
 * id (CloudFront distributions, HTTP APIs, VPC resources, certificates), by account and region
 * only, which docs/github.md lists with the service authorization reference of each.
 */
import type { PolicyStatement } from "../modules/iam-policy.js";
import { NETWORK_INTERFACE_ACTIONS } from "../modules/lambda.js";

/**
 * The state folder of the project-wide github stack (`<project>/_project/github.tfstate`): no
 * stage can have this name (stages start with a letter), and it does not change with the stage.
 */
export const PROJECT_WIDE_STATE_DIR = "_project";

/** The names the stacks derive resources from (config keys), and where they live. */
export interface ProjectNames {
  readonly accountId: string;
  /** The config's aws_region plus us-east-1 (CloudFront's certificate, WAF, alarms and topic). */
  readonly regions: readonly string[];
  readonly project: string;
  readonly lambdaName: string;
  readonly tableName: string;
  readonly vpcName: string;
  /** An explicit frontend_bucket_name (otherwise the bucket is `<project>-...`). */
  readonly frontendBucket?: string;
  /** The state bucket's name, or a pattern of names. */
  readonly stateBucket: string;
}

/** Which stages a role may touch: every stage, or only preview stages (`pr-<number>`). */
export type StageScope = "any" | "preview";

/** A name pattern: a base name with any stage suffix, or with a `pr-<n>` stage in it. */
function named(base: string, scope: StageScope): string {
  return scope === "any" ? `${base}*` : `${base}*-pr-*`;
}

/**
 * The boundary's name: account-wide (IAM), one per project. The deploy roles may create and change
 * roles only while this boundary is attached to them.
 */
export function boundaryPolicyName(project: string): string {
  return `${project}-permissions-boundary`;
}

/** The GitHub roles' names: account-wide, one pair per project. */
export function githubRoleNames(project: string): { deploy: string; preview: string } {
  return { deploy: `${project}-github-deploy`, preview: `${project}-github-preview` };
}

export function boundaryPolicyArn(accountId: string, project: string): string {
  return `arn:aws:iam::${accountId}:policy/${boundaryPolicyName(project)}`;
}

/** Every role name the stacks may create: the function's, the flow logs', the project's own. */
function roleArns(n: ProjectNames, scope: StageScope): string[] {
  return [n.lambdaName, n.vpcName, n.project].map((base) => `arn:aws:iam::${n.accountId}:role/${named(base, scope)}`);
}

const regional = (n: ProjectNames, service: string, resource: (region: string) => string) =>
  n.regions.map((r) => `arn:aws:${service}:${r}:${n.accountId}:${resource(r)}`);

/**
 * Calls that take no resource at all (the service authorization reference lists no resource type
 * for them), so `Resource: "*"` is the only way to grant them: the caller's identity, the registry
 * login, Lambda's account limits, the network and zone lookups, the alias list the provider reads
 * a KMS alias from, and creating a key or a certificate (scoped by tag and region instead).
 */
export const DEPLOY_CALLS_WITHOUT_RESOURCE = [
  "sts:GetCallerIdentity",
  "s3:ListAllMyBuckets",
  "ecr:GetAuthorizationToken",
  "lambda:GetAccountSettings",
  "ec2:Describe*",
  "logs:DescribeLogGroups",
  "route53:ListHostedZones",
  "route53:ListHostedZonesByName",
  "kms:ListAliases",
] as const;

/** The deploy (scope "any") or preview (scope "preview") role's statements. */
export function deployStatements(n: ProjectNames, scope: StageScope): PolicyStatement[] {
  const s = (base: string) => named(base, scope);
  const acct = n.accountId;
  const boundary = boundaryPolicyArn(acct, n.project);
  const regionCondition = { StringEquals: { "aws:RequestedRegion": [...n.regions] } };
  const buckets = [s(n.project), ...(n.frontendBucket ? [scope === "any" ? n.frontendBucket : s(n.frontendBucket)] : [])];
  const roles = githubRoleNames(n.project);
  return [
    {
      // Calls that take no resource (service authorization reference: "Resource types" is empty).
      Sid: "CallsWithoutResource",
      Effect: "Allow",
      Action: [...DEPLOY_CALLS_WITHOUT_RESOURCE],
      Resource: "*",
    },
    {
      // Terraform state and its S3-native lock file (<key>.tflock) under the project's prefix.
      Sid: "TerraformStateBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketVersioning", "s3:GetBucketLocation"],
      Resource: `arn:aws:s3:::${n.stateBucket}`,
    },
    {
      Sid: "TerraformStateObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      // <project>/<stage>/<stack>.tfstate and the deploy's records and lock beside it (stacks/state-backend.ts).
      Resource: `arn:aws:s3:::${n.stateBucket}/${n.project}/${scope === "any" ? "*" : "pr-*"}`,
    },
    {
      // The github stack's own state is the administrator's (npm run bootstrap-github).
      Sid: "NotTheGithubStackState",
      Effect: "Deny",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `arn:aws:s3:::${n.stateBucket}/${n.project}/${PROJECT_WIDE_STATE_DIR}/*`,
    },
    {
      // The state bucket outlives every stage: no role here may delete it, its history or its rules.
      Sid: "KeepTheStateBucket",
      Effect: "Deny",
      Action: [
        "s3:DeleteBucket",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:PutBucketAcl",
        "s3:PutBucketVersioning",
        "s3:PutLifecycleConfiguration",
        "s3:PutEncryptionConfiguration",
        "s3:PutBucketPublicAccessBlock",
        "s3:DeleteObjectVersion",
      ],
      Resource: [`arn:aws:s3:::${n.stateBucket}`, `arn:aws:s3:::${n.stateBucket}/*`],
    },
    {
      // The image repository: create it, push and pull, empty it on destroy.
      Sid: "ImageRepository",
      Effect: "Allow",
      Action: "ecr:*",
      Resource: regional(n, "ecr", () => `repository/${s(n.lambdaName.toLowerCase())}`),
    },
    {
      Sid: "Function",
      Effect: "Allow",
      Action: "lambda:*",
      Resource: [n.lambdaName, n.project].flatMap((base) => regional(n, "lambda", () => `function:${s(base)}`)),
    },
    {
      Sid: "Table",
      Effect: "Allow",
      Action: "dynamodb:*",
      Resource: regional(n, "dynamodb", () => `table/${s(n.tableName)}`).flatMap((t) => [t, `${t}/index/*`]),
    },
    {
      Sid: "WebBuckets",
      Effect: "Allow",
      Action: "s3:*",
      Resource: buckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]),
    },
    {
      Sid: "LogGroups",
      Effect: "Allow",
      Action: "logs:*",
      Resource: [
        `/aws/lambda/${s(n.lambdaName)}`,
        `/aws/lambda/${s(n.project)}`,
        `/aws/apigateway/${s(n.project)}`,
        `/aws/vpc-flow-log/${s(n.vpcName)}`,
      ].flatMap((g) => regional(n, "logs", () => `log-group:${g}`)),
    },
    {
      Sid: "AlarmsAndTopics",
      Effect: "Allow",
      Action: ["cloudwatch:*", "sns:*"],
      Resource: [...regional(n, "cloudwatch", () => `alarm:${s(n.project)}`), ...regional(n, "sns", () => s(n.project))],
    },
    {
      Sid: "Budget",
      Effect: "Allow",
      Action: "budgets:*",
      Resource: `arn:aws:budgets::${acct}:budget/${s(n.project)}`,
    },
    {
      // The deploy's Budgets access check lists the account's budgets (DescribeBudgets, read only).
      Sid: "ReadBudgets",
      Effect: "Allow",
      Action: "budgets:ViewBudget",
      Resource: `arn:aws:budgets::${acct}:budget/*`,
    },
    {
      // Roles only with the boundary attached, so no role the stacks create can do more than it.
      Sid: "RolesOnlyWithTheBoundary",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:PutRolePermissionsBoundary",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
      ],
      Resource: roleArns(n, scope),
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
    },
    {
      Sid: "RoleHousekeeping",
      Effect: "Allow",
      Action: [
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:ListRoleTags",
        "iam:DeleteRole",
      ],
      Resource: roleArns(n, scope),
    },
    {
      Sid: "PassRolesToTheirServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roleArns(n, scope),
      Condition: { StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "vpc-flow-logs.amazonaws.com"] } },
    },
    {
      Sid: "ReadTheBoundaryAndManagedPolicies",
      Effect: "Allow",
      Action: ["iam:GetPolicy", "iam:GetPolicyVersion"],
      Resource: [boundary, "arn:aws:iam::aws:policy/*"],
    },
    {
      // Nothing may remove the boundary, change it, or touch the GitHub roles themselves.
      Sid: "NoEscapeFromTheBoundary",
      Effect: "Deny",
      Action: [
        "iam:DeleteRolePermissionsBoundary",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
      ],
      Resource: [boundary, ...roleArns(n, scope)],
    },
    {
      Sid: "NotTheGithubRoles",
      Effect: "Deny",
      Action: "iam:*",
      Resource: [roles.deploy, roles.preview].map((r) => `arn:aws:iam::${acct}:role/${r}`),
    },
    {
      // The network: ids are assigned by EC2, and the default ACL/route table/security group are
      // adopted untagged, so these are scoped to the regions (docs/github.md); any owner, as the
      // gateway endpoint names AWS's own prefix list and service.
      Sid: "Network",
      Effect: "Allow",
      Action: [
        "ec2:CreateVpc",
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
        "ec2:CreateSubnet",
        "ec2:DeleteSubnet",
        "ec2:ModifySubnetAttribute",
        "ec2:CreateRouteTable",
        "ec2:DeleteRouteTable",
        "ec2:CreateRoute",
        "ec2:DeleteRoute",
        "ec2:ReplaceRoute",
        "ec2:AssociateRouteTable",
        "ec2:DisassociateRouteTable",
        "ec2:CreateInternetGateway",
        "ec2:DeleteInternetGateway",
        "ec2:AttachInternetGateway",
        "ec2:DetachInternetGateway",
        "ec2:CreateSecurityGroup",
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:CreateNetworkAclEntry",
        "ec2:DeleteNetworkAclEntry",
        "ec2:ReplaceNetworkAclEntry",
        "ec2:ReplaceNetworkAclAssociation",
        "ec2:CreateVpcEndpoint",
        "ec2:DeleteVpcEndpoints",
        "ec2:ModifyVpcEndpoint",
        "ec2:CreateFlowLogs",
        "ec2:DeleteFlowLogs",
        "ec2:CreateTags",
        "ec2:DeleteTags",
        "ec2:DeleteNetworkInterface",
      ],
      Resource: n.regions.map((r) => `arn:aws:ec2:${r}:*:*`),
    },
    {
      // HTTP APIs and custom domain names: ids assigned by API Gateway.
      Sid: "HttpApi",
      Effect: "Allow",
      Action: ["apigateway:GET", "apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE", "apigateway:TagResource"],
      Resource: n.regions.flatMap((r) => [
        `arn:aws:apigateway:${r}::/apis`,
        `arn:aws:apigateway:${r}::/apis/*`,
        `arn:aws:apigateway:${r}::/domainnames`,
        `arn:aws:apigateway:${r}::/domainnames/*`,
        `arn:aws:apigateway:${r}::/tags/*`,
      ]),
    },
    {
      // Distributions, their policies, origin access controls: ids assigned by CloudFront (global).
      Sid: "Cdn",
      Effect: "Allow",
      Action: "cloudfront:*",
      Resource: [
        `arn:aws:cloudfront::${acct}:distribution/*`,
        `arn:aws:cloudfront::${acct}:origin-access-control/*`,
        `arn:aws:cloudfront::${acct}:response-headers-policy/*`,
        `arn:aws:cloudfront::${acct}:function/${s(n.project)}`,
      ],
    },
    {
      Sid: "WebAcl",
      Effect: "Allow",
      Action: "wafv2:*",
      Resource: [`arn:aws:wafv2:us-east-1:${acct}:global/webacl/${s(n.project)}/*`, "arn:aws:wafv2:us-east-1:*:global/managedruleset/*/*"],
    },
    {
      // Certificates: ids assigned by ACM; RequestCertificate takes no resource, so only the region scopes it.
      Sid: "RequestCertificates",
      Effect: "Allow",
      Action: "acm:RequestCertificate",
      Resource: "*",
      Condition: regionCondition,
    },
    {
      Sid: "Certificates",
      Effect: "Allow",
      Action: [
        "acm:DescribeCertificate",
        "acm:DeleteCertificate",
        "acm:ListTagsForCertificate",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
      ],
      Resource: regional(n, "acm", () => "certificate/*"),
    },
    {
      // The zone of `domain` (its id is only known at plan time): records and their changes.
      Sid: "DnsRecords",
      Effect: "Allow",
      Action: [
        "route53:GetHostedZone",
        "route53:ListResourceRecordSets",
        "route53:ChangeResourceRecordSets",
        "route53:GetChange",
        "route53:ListTagsForResource",
      ],
      Resource: ["arn:aws:route53:::hostedzone/*", "arn:aws:route53:::change/*"],
    },
    {
      // Sign-in (auth: "cognito"): Cognito assigns the pool ids; CreateUserPool and the login
      // domain lookup take no resource, so only the region scopes them.
      Sid: "CreateUserPools",
      Effect: "Allow",
      Action: ["cognito-idp:CreateUserPool", "cognito-idp:DescribeUserPoolDomain"],
      Resource: "*",
      Condition: regionCondition,
    },
    {
      Sid: "UserPools",
      Effect: "Allow",
      Action: "cognito-idp:*",
      Resource: regional(n, "cognito-idp", () => "userpool/*"),
    },
    {
      // A customer key only when kms_customer_key: created with the Project tag, managed by it.
      Sid: "CreateTaggedKeys",
      Effect: "Allow",
      Action: "kms:CreateKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/Project": n.project, ...regionCondition.StringEquals } },
    },
    {
      Sid: "TagNewKeys",
      Effect: "Allow",
      Action: "kms:TagResource",
      Resource: regional(n, "kms", () => "key/*"),
      Condition: { StringEquals: { "aws:RequestTag/Project": n.project } },
    },
    {
      Sid: "ManageTaggedKeys",
      Effect: "Allow",
      Action: "kms:*",
      Resource: regional(n, "kms", () => "key/*"),
      Condition: { StringEquals: { "aws:ResourceTag/Project": n.project } },
    },
    {
      Sid: "KeyAliases",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      Resource: regional(n, "kms", () => `alias/${s(n.project)}`),
    },
  ];
}

/**
 * The permissions boundary: the most any role the registry and app stacks create may do (the
 * function's, the flow logs', one added later), whatever policy the deploy role attaches to it.
 * No IAM, no STS beyond its own identity, only the project's names where a service names things.
 */
export function boundaryStatements(n: ProjectNames): PolicyStatement[] {
  const any = (base: string) => named(base, "any");
  return [
    {
      Sid: "ProjectData",
      Effect: "Allow",
      Action: [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:BatchGetItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DescribeTable",
      ],
      Resource: regional(n, "dynamodb", () => `table/${any(n.tableName)}`).flatMap((t) => [t, `${t}/index/*`]),
    },
    {
      Sid: "ProjectLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups", "logs:CreateLogGroup"],
      Resource: regional(n, "logs", () => "log-group:*"),
    },
    {
      // A function in the VPC manages its network interfaces (in the project's regions).
      Sid: "FunctionNetworkInterfaces",
      Effect: "Allow",
      // The function role's own statement (modules/lambda.ts), so the boundary never falls behind it.
      Action: [...NETWORK_INTERFACE_ACTIONS],
      Resource: n.regions.map((r) => `arn:aws:ec2:${r}:${n.accountId}:*`),
    },
    {
      // Lookups, X-Ray, custom metrics: actions without resource-level permissions.
      Sid: "RuntimeCallsWithoutResource",
      Effect: "Allow",
      Action: [
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries",
        "cloudwatch:PutMetricData",
      ],
      Resource: "*",
    },
    {
      Sid: "ProjectKeys",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: regional(n, "kms", () => "key/*"),
      Condition: { StringEquals: { "aws:ResourceTag/Project": n.project } },
    },
    {
      // A project function may throttle the project's API stages (the spend stop sets them to 0).
      Sid: "ProjectApiStages",
      Effect: "Allow",
      Action: ["apigateway:GET", "apigateway:PATCH"],
      Resource: n.regions.map((r) => `arn:aws:apigateway:${r}::/apis/*/stages/*`),
    },
    {
      // What a project function may do to the project's own functions and topics (e.g. a spend stop).
      Sid: "ProjectFunctionsAndTopics",
      Effect: "Allow",
      Action: ["lambda:GetFunction*", "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency", "sns:Publish"],
      Resource: [
        ...[n.lambdaName, n.project].flatMap((b) => regional(n, "lambda", () => `function:${any(b)}`)),
        ...regional(n, "sns", () => any(n.project)),
      ],
    },
  ];
}

/**
 * The IAM service prefix whose actions the deploy role needs for each Terraform resource and data
 * source type the registry and app stacks declare. The policy tests fail on a type that is not
 * here, so a new kind of resource cannot ship without the deploy role being able to create it.
 */
export const SERVICE_OF_TERRAFORM_TYPE: Readonly<Record<string, string>> = {
  aws_acm_certificate: "acm",
  aws_acm_certificate_validation: "acm",
  aws_apigatewayv2_api: "apigateway",
  aws_apigatewayv2_authorizer: "apigateway",
  aws_apigatewayv2_api_mapping: "apigateway",
  aws_apigatewayv2_domain_name: "apigateway",
  aws_apigatewayv2_integration: "apigateway",
  aws_apigatewayv2_route: "apigateway",
  aws_apigatewayv2_stage: "apigateway",
  aws_availability_zones: "ec2",
  aws_budgets_budget: "budgets",
  aws_caller_identity: "sts",
  aws_cloudfront_distribution: "cloudfront",
  aws_cloudfront_function: "cloudfront",
  aws_cloudfront_origin_access_control: "cloudfront",
  aws_cloudfront_response_headers_policy: "cloudfront",
  aws_cloudwatch_log_group: "logs",
  aws_cloudwatch_metric_alarm: "cloudwatch",
  aws_cognito_user_pool: "cognito-idp",
  aws_cognito_user_pool_client: "cognito-idp",
  aws_cognito_user_pool_domain: "cognito-idp",
  aws_default_network_acl: "ec2",
  aws_default_route_table: "ec2",
  aws_default_security_group: "ec2",
  aws_dynamodb_table: "dynamodb",
  aws_ec2_managed_prefix_list: "ec2",
  aws_ecr_image: "ecr",
  aws_ecr_lifecycle_policy: "ecr",
  aws_ecr_repository: "ecr",
  aws_flow_log: "ec2",
  aws_iam_policy: "iam",
  aws_iam_role: "iam",
  aws_iam_role_policy: "iam",
  aws_iam_role_policy_attachment: "iam",
  aws_internet_gateway: "ec2",
  aws_kms_alias: "kms",
  aws_kms_key: "kms",
  aws_lambda_function: "lambda",
  aws_lambda_permission: "lambda",
  aws_route: "ec2",
  aws_route53_record: "route53",
  aws_route53_records: "route53",
  aws_route53_zone: "route53",
  aws_route_table: "ec2",
  aws_route_table_association: "ec2",
  aws_route_tables: "ec2",
  aws_s3_bucket: "s3",
  aws_s3_bucket_lifecycle_configuration: "s3",
  aws_s3_bucket_logging: "s3",
  aws_s3_bucket_ownership_controls: "s3",
  aws_s3_bucket_policy: "s3",
  aws_s3_bucket_public_access_block: "s3",
  aws_s3_bucket_server_side_encryption_configuration: "s3",
  aws_s3_bucket_versioning: "s3",
  aws_s3_object: "s3",
  aws_s3_objects: "s3",
  aws_security_group: "ec2",
  aws_sns_topic: "sns",
  aws_sns_topic_policy: "sns",
  aws_sns_topic_subscription: "sns",
  aws_subnet: "ec2",
  aws_vpc: "ec2",
  aws_vpc_endpoint: "ec2",
  aws_wafv2_web_acl: "wafv2",
};
