import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as AwsVpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "./iam-policy.js";

/**
 * The flow-log role's permissions on its log group: create streams and put events in it, describe
 * it and its streams. DescribeLogGroups lists groups, so it is granted on the account's groups in
 * the region (the narrowest ARN it takes).
 */
export function flowLogStatements(logGroupArn: string, region: string, accountId: string): PolicyStatement[] {
  return [
    {
      Sid: "WriteFlowLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
    {
      Sid: "FindLogGroup",
      Effect: "Allow",
      Action: ["logs:DescribeLogGroups"],
      Resource: [`arn:aws:logs:${region}:${accountId}:log-group:*`],
    },
  ];
}

export interface VpcProps {
  /** Name tag of the VPC and prefix of its parts' names (the module's `name`). */
  readonly name: string;
  /** IPv4 CIDR block. @default "10.50.0.0/16" */
  readonly cidr?: string;
  /**
   * Number of availability zones, each with one public and one private subnet. AZ names are
   * looked up (the blog assumed `<region>a`/`b`, which not every account has).
   * @default 2
   */
  readonly azCount?: number;
  /**
   * VPC flow logs to CloudWatch (checkov CKV2_AWS_11). Costs log ingestion, so off by default.
   * @default false
   */
  readonly enableFlowLog?: boolean;
  /**
   * Region and account of the VPC, for the flow-log role's scoped permissions and trust
   * condition. Required with `enableFlowLog`.
   */
  readonly flowLogScope?: { region: string; accountId: string };
  /**
   * Name of the flow-log IAM role (IAM names are account-wide: include the region).
   * @default "<name>-vpc-flow-log"
   */
  readonly flowLogRoleName?: string;
  /** Retention of the flow-log group, in days. @default 30 */
  readonly flowLogRetentionDays?: number;
  /** KMS key for the flow-log group. @default AWS-owned encryption */
  readonly flowLogKmsKeyArn?: string;
  /**
   * Delete timeout of the private subnets, where Lambda's network interfaces live: Lambda
   * releases them up to ~35 minutes after the function is gone.
   * @default "45m"
   */
  readonly subnetDeleteTimeout?: string;
  /** Tags for every resource. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The app's VPC, modelled on the community module terraform-aws-modules/vpc 5.15 with the blog's
 * inputs. Creates: the VPC (DNS support and hostnames on; CIDR default 10.50.0.0/16), a public and
 * a private subnet in each of `azCount` AZs (default 2; subnet i is `cidrsubnet(cidr, 8, i+1)`,
 * the private ones after the public ones), an internet gateway with the public route table, one
 * private route table per AZ with only the local route (no NAT gateway: nothing here is billed by
 * the hour), and the default security group (no rules), NACL and route table taken over. With
 * `enableFlowLog` (default off): a flow log of all traffic to its own log group (30 days by
 * default) through a role only this account's flow logs in this region may assume.
 */
export class Vpc extends Construct {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly privateRouteTableIds: string[];
  /** The aws_vpc. */
  readonly vpc: AwsVpc;
  readonly internetGateway: InternetGateway;
  /** The public subnets' route table (its one route: 0.0.0.0/0 to the internet gateway). */
  readonly publicRouteTable: RouteTable;
  /** One per AZ, in AZ order. */
  readonly publicSubnets: Subnet[] = [];
  /** One per AZ, in AZ order: where the function's network interfaces live. */
  readonly privateSubnets: Subnet[] = [];
  /** One per AZ, local route only. */
  readonly privateRouteTables: RouteTable[] = [];
  /** The default security group, taken over with no rules. */
  readonly defaultSecurityGroup: DefaultSecurityGroup;
  readonly defaultNetworkAcl: DefaultNetworkAcl;
  readonly defaultRouteTable: DefaultRouteTable;
  /** The flow log and what it writes with, when `enableFlowLog`. */
  readonly flowLog?: {
    readonly logGroup: CloudwatchLogGroup;
    readonly role: IamRole;
    readonly rolePolicy: IamRolePolicy;
    readonly flowLog: FlowLog;
  };

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const cidr = props.cidr ?? "10.50.0.0/16";
    const azCount = props.azCount ?? 2;
    const tags = props.tags ?? {};
    const named = (name: string) => ({ ...tags, Name: name });

    const azs = new DataAwsAvailabilityZones(this, "azs", { state: "available" });
    const az = (i: number) => Fn.element(azs.names, i);

    this.vpc = new AwsVpc(this, "vpc", {
      cidrBlock: cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true, // the DynamoDB gateway endpoint and Lambda need VPC DNS
      tags: named(props.name),
    });
    const vpc = this.vpc;
    this.vpcId = vpc.id;

    this.internetGateway = new InternetGateway(this, "igw", { vpcId: vpc.id, tags: named(props.name) });
    const igw = this.internetGateway;
    this.publicRouteTable = new RouteTable(this, "public_rt", {
      vpcId: vpc.id,
      tags: named(`${props.name}-public`),
    });
    const publicRouteTable = this.publicRouteTable;
    new Route(this, "public_internet_gateway", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
      timeouts: { create: "5m" },
    });

    this.publicSubnetIds = [];
    this.privateSubnetIds = [];
    this.privateRouteTableIds = [];
    for (let i = 0; i < azCount; i++) {
      const pub = new Subnet(this, `public_${i}`, {
        vpcId: vpc.id,
        cidrBlock: Fn.cidrsubnet(cidr, 8, i + 1),
        availabilityZone: az(i),
        mapPublicIpOnLaunch: false, // nothing is launched here; never hand out public IPs (CKV_AWS_130)
        tags: named(`${props.name}-public-${i}`),
      });
      new RouteTableAssociation(this, `public_rta_${i}`, { subnetId: pub.id, routeTableId: publicRouteTable.id });
      this.publicSubnets.push(pub);
      this.publicSubnetIds.push(pub.id);

      const priv = new Subnet(this, `private_${i}`, {
        vpcId: vpc.id,
        cidrBlock: Fn.cidrsubnet(cidr, 8, azCount + i + 1),
        availabilityZone: az(i),
        mapPublicIpOnLaunch: false,
        // The function's network interfaces live here; Lambda releases them minutes after it is gone.
        timeouts: { delete: props.subnetDeleteTimeout ?? "45m" },
        tags: named(`${props.name}-private-${i}`),
      });
      const privateRouteTable = new RouteTable(this, `private_rt_${i}`, { vpcId: vpc.id, tags: named(`${props.name}-private-${i}`) });
      new RouteTableAssociation(this, `private_rta_${i}`, { subnetId: priv.id, routeTableId: privateRouteTable.id });
      this.privateSubnets.push(priv);
      this.privateSubnetIds.push(priv.id);
      this.privateRouteTables.push(privateRouteTable);
      this.privateRouteTableIds.push(privateRouteTable.id);
    }

    // Taking over the defaults: an empty default SG means nothing can use it by accident (CKV2_AWS_12).
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, "default_sg", {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: named(`${props.name}-default`),
    });
    this.defaultNetworkAcl = new DefaultNetworkAcl(this, "default_nacl", {
      defaultNetworkAclId: vpc.defaultNetworkAclId,
      ingress: [
        { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" },
        { ruleNo: 101, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlock: "::/0" },
      ],
      egress: [
        { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" },
        { ruleNo: 101, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlock: "::/0" },
      ],
      lifecycle: { ignoreChanges: ["subnet_ids"] },
      tags: named(`${props.name}-default`),
    });
    this.defaultRouteTable = new DefaultRouteTable(this, "default_rt", {
      defaultRouteTableId: vpc.defaultRouteTableId,
      route: [],
      timeouts: { create: "5m", update: "5m" },
      tags: named(`${props.name}-default`),
    });

    if (props.enableFlowLog) {
      const logGroup = new CloudwatchLogGroup(this, "flow_log_group", {
        name: `/aws/vpc-flow-log/${props.name}`,
        retentionInDays: props.flowLogRetentionDays ?? 30,
        kmsKeyId: props.flowLogKmsKeyArn,
        tags,
      });
      const scope = props.flowLogScope;
      if (!scope) throw new Error("Vpc: enableFlowLog needs flowLogScope (region and account)");
      const role = new IamRole(this, "flow_log_role", {
        name: props.flowLogRoleName ?? `${props.name}-vpc-flow-log`,
        lifecycle: { createBeforeDestroy: true },
        // Only flow logs of this account and region may use the role (AWS's confused-deputy advice).
        assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com", {
          StringEquals: { "aws:SourceAccount": scope.accountId },
          ArnLike: { "aws:SourceArn": `arn:aws:ec2:${scope.region}:${scope.accountId}:vpc-flow-log/*` },
        }),
        tags,
      });
      const rolePolicy = new IamRolePolicy(this, "flow_log_policy", {
        role: role.id,
        // What the VPC guide lists for publishing to CloudWatch Logs, minus logs:CreateLogGroup
        // (the group exists before the flow log), scoped to the one group where IAM allows it.
        policy: policyDocument(flowLogStatements(logGroup.arn, scope.region, scope.accountId)),
      });
      const flowLog = new FlowLog(this, "flow_log", {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 600,
        tags,
      });
      this.flowLog = { logGroup, role, rolePolicy, flowLog };
    }
  }
}
