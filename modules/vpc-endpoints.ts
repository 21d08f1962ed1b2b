import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument } from "./iam-policy.js";

export interface DynamodbGatewayEndpointProps {
  readonly vpcId: string;
  /** Region of the VPC (the endpoint's service name is `com.amazonaws.<region>.dynamodb`). */
  readonly region: string;
  /** Route tables of the subnets that must reach DynamoDB (the function's private subnets). */
  readonly routeTableIds: string[];
  /**
   * Endpoint policy statements. Scope them to the table: the endpoint is the only way out of
   * the private subnets, so it doubles as a data-exfiltration guard.
   */
  readonly policyStatements: PolicyStatement[];
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The app's pattern, modelled on terraform-aws-modules/vpc's `vpc-endpoints` submodule for the one
 * endpoint this app needs: a DynamoDB *gateway* endpoint, which is free (interface endpoints cost
 * $7.30 per AZ a month, a NAT gateway $32.85), so a function inside the VPC reaches its table with
 * no NAT.
 */
export class DynamodbGatewayEndpoint extends Construct {
  readonly endpointId: string;
  /** The managed prefix list of DynamoDB's addresses: the only egress the function's SG allows. */
  readonly prefixListId: string;
  /** The aws_vpc_endpoint; change any attribute with `addOverride` (docs/constructs.md). */
  readonly endpoint: VpcEndpoint;

  constructor(scope: Construct, id: string, props: DynamodbGatewayEndpointProps) {
    super(scope, id);
    const endpoint = new VpcEndpoint(this, "dynamodb", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.dynamodb`,
      vpcEndpointType: "Gateway",
      routeTableIds: props.routeTableIds,
      policy: policyDocument(props.policyStatements),
      tags: { ...props.tags, Name: "dynamodb" },
    });
    this.endpoint = endpoint;
    this.endpointId = endpoint.id;
    this.prefixListId = endpoint.prefixListId;
  }
}
