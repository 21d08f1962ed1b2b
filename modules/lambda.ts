import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaFunction as AwsLambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "./iam-policy.js";
import { LAMBDA_DEFAULTS, type LambdaArchitecture } from "./lambda-defaults.js";

export interface LambdaVpcProps {
  readonly vpcId: string;
  /** Private subnets the function's ENIs go into. */
  readonly subnetIds: string[];
  /** The only egress allowed: HTTPS to these managed prefix lists (e.g. DynamoDB's). */
  readonly egressPrefixListIds: string[];
  /** Description of that egress rule. @default "HTTPS to the DynamoDB gateway endpoint" */
  readonly egressDescription?: string;
  /**
   * Description of the security group. EC2 has no call to change it, so a new one replaces the
   * group (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group).
   * @default "Lambda <functionName>: no ingress, HTTPS out to AWS service prefix lists only"
   */
  readonly securityGroupDescription?: string;
  /** Region and account of the VPC: the network-interface permissions are scoped to them. */
  readonly region: string;
  readonly accountId: string;
}

/**
 * How long destroying the function's security group may wait for Lambda to release its network
 * interfaces. The provider already waits up to 45 minutes for Lambda's ENIs (AWS's P99 is about
 * 35), then retries DependencyViolation only within the resource's own delete timeout.
 */
export const VPC_ENI_DELETE_TIMEOUT = "45m";

/** What a function in a VPC does to its network interfaces (scoped to region and account). */
export const NETWORK_INTERFACE_ACTIONS = [
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
] as const;

/**
 * What Lambda needs from the execution role to create and manage its network interfaces in the
 * VPC (the Lambda developer guide's list; docs/aws-behaviour.md). The Describe actions only work
 * on Resource "*"; the rest are scoped to the VPC's region and account, the form AWS documents.
 * Replaces AWSLambdaVPCAccessExecutionRole, which also grants logs:* actions on every log group.
 */
export function networkInterfaceStatements(region: string, accountId: string): PolicyStatement[] {
  return [
    {
      Sid: "DescribeNetworkInterfaces",
      Effect: "Allow",
      Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
      Resource: ["*"],
    },
    {
      Sid: "ManageNetworkInterfaces",
      Effect: "Allow",
      Action: [...NETWORK_INTERFACE_ACTIONS],
      Resource: [`arn:aws:ec2:${region}:${accountId}:*/*`],
    },
  ];
}

/** A function packaged as a zip: where the archive is and how Lambda runs it. */
export interface LambdaZipPackage {
  /** The archive, relative to the stack's directory (`ZipAsset.path`). */
  readonly filename: string;
  /** Base64 SHA-256 of the archive (`ZipAsset.sha256`): the provider compares it with Lambda's CodeSha256. */
  readonly sourceCodeHash: string;
  /** e.g. "handler.handler" */
  readonly handler: string;
  /** e.g. "nodejs22.x" */
  readonly runtime: string;
}

export interface LambdaFunctionProps {
  /** Function name (the module's `function_name`); also names the log group. */
  readonly functionName: string;
  /** Name of the execution role (IAM names are account-wide, function names per region). @default functionName */
  readonly roleName?: string;
  /** @default "" */
  readonly description?: string;
  /**
   * Image URI, by digest (`<repo>@sha256:...`) so every new image rolls the function. Exactly one
   * of `imageUri` and `zip`.
   */
  readonly imageUri?: string;
  /** A zip package instead of an image (e.g. `ZipAsset`): small helper functions. */
  readonly zip?: LambdaZipPackage;
  /** CMD override of the image (the handler). @default the image's own CMD */
  readonly imageCommand?: readonly string[];
  /** @default LAMBDA_DEFAULTS.architecture, "arm64" (20% cheaper per GB-second than x86_64) */
  readonly architecture?: LambdaArchitecture;
  /** MB. @default LAMBDA_DEFAULTS.memorySize, 256 */
  readonly memorySize?: number;
  /** Seconds. @default LAMBDA_DEFAULTS.timeout, 5 */
  readonly timeout?: number;
  /** @default {} */
  readonly environment?: Record<string, string>;
  /** Retention of `/aws/lambda/<name>`, created here so it is never "never expire". @default 30 */
  readonly logRetentionDays?: number;
  /** Extra statements for the execution role (e.g. the table's grant). @default [] */
  readonly policyStatements?: PolicyStatement[];
  /** Run inside a VPC with its own security group. @default Lambda-managed networking */
  readonly vpc?: LambdaVpcProps;
  /**
   * Reserved concurrency: a free denial-of-wallet cap (CKV_AWS_115), but new accounts may not
   * have enough unreserved concurrency to set it, so off by default.
   * @default unreserved
   */
  readonly reservedConcurrency?: number;
  /** X-Ray tracing: "Active" costs beyond the free tier; "PassThrough" is free. @default "PassThrough" */
  readonly tracingMode?: "Active" | "PassThrough";
  /** Customer managed key for environment variables and the log group. @default AWS managed keys */
  readonly kmsKeyArn?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The app's pattern, modelled on terraform-aws-modules/lambda 7.14 as the blog uses it (an image
 * function, its log group, role, logs policy and an extra JSON policy), minus the ENI policy it
 * attached to a function outside any VPC. Inside a VPC the function gets its own security group
 * (HTTPS to the given prefix lists only) and an inline network-interface policy
 * (`networkInterfaceStatements`).
 */
export class LambdaFunction extends Construct {
  readonly functionName: string;
  readonly functionArn: string;
  readonly invokeArn: string;
  readonly roleName: string;
  readonly logGroupName: string;
  readonly securityGroupId?: string;
  /** The aws_lambda_function; change any attribute with `addOverride` (docs/constructs.md). */
  readonly lambdaFunction: AwsLambdaFunction;
  /** The execution role. */
  readonly role: IamRole;
  /** The role's inline policy: own log group, `policyStatements`, KMS and VPC statements. */
  readonly rolePolicy: IamRolePolicy;
  /** `/aws/lambda/<name>`, with its retention. */
  readonly logGroup: CloudwatchLogGroup;
  /** The function's security group, when it runs in a VPC. */
  readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    if ((props.imageUri === undefined) === (props.zip === undefined)) {
      throw new Error(`LambdaFunction ${id}: give exactly one of imageUri and zip`);
    }
    const tags = props.tags ?? {};
    const logGroup = new CloudwatchLogGroup(this, "log_group", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? 30,
      kmsKeyId: props.kmsKeyArn,
      tags,
    });

    const role = new IamRole(this, "role", {
      name: props.roleName ?? props.functionName,
      assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
      forceDetachPolicies: true,
      // A renamed role is replaced: the function moves to the new one before the old one goes.
      lifecycle: { createBeforeDestroy: true },
      tags,
    });
    const statements: PolicyStatement[] = [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        // No logs:CreateLogGroup: the group above exists before the function does.
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${logGroup.arn}:*`],
      },
      ...(props.policyStatements ?? []),
    ];
    if (props.kmsKeyArn) {
      statements.push({ Sid: "DecryptEnvironment", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [props.kmsKeyArn] });
    }
    if (props.vpc) statements.push(...networkInterfaceStatements(props.vpc.region, props.vpc.accountId));
    const policy = new IamRolePolicy(this, "policy", { name: props.functionName, role: role.id, policy: policyDocument(statements) });
    const attachments: IamRolePolicyAttachment[] = [];
    if (props.tracingMode === "Active") {
      attachments.push(
        new IamRolePolicyAttachment(this, "xray", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess" }),
      );
    }

    let securityGroupId: string | undefined;
    if (props.vpc) {
      const sg = new SecurityGroup(this, "security_group", {
        name: `${props.functionName}-lambda`,
        description:
          props.vpc.securityGroupDescription ?? `Lambda ${props.functionName}: no ingress, HTTPS out to AWS service prefix lists only`,
        vpcId: props.vpc.vpcId,
        ingress: [],
        egress: [
          {
            description: props.vpc.egressDescription ?? "HTTPS to the DynamoDB gateway endpoint",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            prefixListIds: props.vpc.egressPrefixListIds,
          },
        ],
        // Lambda keeps its network interfaces for a while after the function is gone.
        timeouts: { delete: VPC_ENI_DELETE_TIMEOUT },
        tags,
      });
      securityGroupId = sg.id;
      this.securityGroup = sg;
    }

    this.lambdaFunction = new AwsLambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description ?? "",
      role: role.arn,
      ...(props.zip
        ? {
            packageType: "Zip",
            filename: props.zip.filename,
            sourceCodeHash: props.zip.sourceCodeHash,
            handler: props.zip.handler,
            runtime: props.zip.runtime,
          }
        : {
            packageType: "Image",
            imageUri: props.imageUri,
            imageConfig: props.imageCommand ? { command: [...props.imageCommand] } : undefined,
          }),
      architectures: [props.architecture ?? LAMBDA_DEFAULTS.architecture],
      memorySize: props.memorySize ?? LAMBDA_DEFAULTS.memorySize,
      timeout: props.timeout ?? LAMBDA_DEFAULTS.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: props.environment && Object.keys(props.environment).length ? { variables: props.environment } : undefined,
      kmsKeyArn: props.kmsKeyArn,
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
      tracingConfig: { mode: props.tracingMode ?? "PassThrough" },
      vpcConfig: props.vpc ? { subnetIds: props.vpc.subnetIds, securityGroupIds: [securityGroupId!] } : undefined,
      // On destroy, first move the function onto the VPC's default security group and wait for
      // that update: the ENIs Lambda leaves behind then no longer hold our group, whose delete
      // would otherwise wait on Lambda's cleanup and can fail with DependencyViolation.
      replaceSecurityGroupsOnDestroy: props.vpc ? true : undefined,
      dependsOn: [logGroup, policy, ...attachments],
      tags,
    });
    this.functionName = this.lambdaFunction.functionName;
    this.functionArn = this.lambdaFunction.arn;
    this.invokeArn = this.lambdaFunction.invokeArn;
    this.roleName = role.name;
    this.logGroupName = logGroup.name;
    this.role = role;
    this.rolePolicy = policy;
    this.logGroup = logGroup;
    this.securityGroupId = securityGroupId;
  }

  /**
   * Lets a service invoke the function, scoped to one source ARN (CKV_AWS_364, Trivy AWS-0067),
   * e.g. `<api execution arn>/*` for API Gateway (the module's `allowed_triggers`).
   */
  allowInvoke(id: string, principal: string, sourceArn: string): LambdaPermission {
    return new LambdaPermission(this, id, {
      statementId: id,
      action: "lambda:InvokeFunction",
      functionName: this.lambdaFunction.functionName,
      principal,
      sourceArn,
    });
  }
}
