/** DynamodbGatewayEndpoint on its own: a free gateway endpoint on the given route tables, with the given policy. */
import { describe, expect, test } from "vitest";
import type { PolicyStatement } from "../../modules/iam-policy.js";
import { DynamodbGatewayEndpoint } from "../../modules/vpc-endpoints.js";
import { synthConstruct } from "./support/synth.js";

const statement: PolicyStatement = {
  Sid: "TheTable",
  Effect: "Allow",
  Principal: "*",
  Action: ["dynamodb:GetItem"],
  Resource: ["arn:aws:dynamodb:eu-west-1:123456789012:table/users"],
};
const props = { vpcId: "vpc-1", region: "eu-west-1", routeTableIds: ["rtb-1", "rtb-2"], policyStatements: [statement] };

describe("DynamodbGatewayEndpoint", () => {
  test("a Gateway endpoint (no hourly charge) for the region's DynamoDB on every route table, policy as given", () => {
    const { only } = synthConstruct((scope) => new DynamodbGatewayEndpoint(scope, "ddb", props));
    const endpoint = only("aws_vpc_endpoint");
    expect(endpoint).toMatchObject({
      vpc_id: "vpc-1",
      service_name: "com.amazonaws.eu-west-1.dynamodb",
      vpc_endpoint_type: "Gateway",
      route_table_ids: ["rtb-1", "rtb-2"],
      tags: { Name: "dynamodb" },
    });
    expect(JSON.parse(endpoint.policy)).toEqual({ Version: "2012-10-17", Statement: [statement] });
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new DynamodbGatewayEndpoint(scope, "ddb", props).endpoint.addOverride("tags.Name", "ddb-endpoint");
    });
    expect(only("aws_vpc_endpoint").tags.Name).toBe("ddb-endpoint");
  });
});
