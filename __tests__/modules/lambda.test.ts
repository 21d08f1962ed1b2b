/** LambdaFunction on its own: the secure defaults, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { LambdaFunction } from "../../modules/lambda.js";
import { synthConstruct } from "./support/synth.js";

const props = { functionName: "api", imageUri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:abc" };

describe("LambdaFunction", () => {
  test("arm64 image function with its own log group and a least-privilege role by default", () => {
    const { only } = synthConstruct((scope) => new LambdaFunction(scope, "api", props));
    expect(only("aws_lambda_function")).toMatchObject({
      function_name: "api",
      package_type: "Image",
      architectures: ["arm64"],
      memory_size: 256,
      timeout: 5,
      tracing_config: { mode: "PassThrough" },
    });
    expect(only("aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/lambda/api", retention_in_days: 30 });
    const statements = JSON.parse(only("aws_iam_role_policy").policy).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(JSON.parse(only("aws_iam_role").assume_role_policy).Statement[0].Principal).toEqual({ Service: "lambda.amazonaws.com" });
  });

  test("in a VPC: no ingress, HTTPS out to the prefix lists only, with a described egress rule", () => {
    const vpc = { vpcId: "vpc-1", subnetIds: ["subnet-1"], egressPrefixListIds: ["pl-1"], region: "eu-west-1", accountId: "123456789012" };
    const group = (egressDescription?: string) =>
      synthConstruct((scope) => new LambdaFunction(scope, "api", { ...props, vpc: { ...vpc, egressDescription } })).only(
        "aws_security_group",
      );
    const byDefault = group();
    expect(byDefault.ingress).toEqual([]);
    expect(byDefault.egress).toEqual([
      expect.objectContaining({
        from_port: 443,
        to_port: 443,
        prefix_list_ids: ["pl-1"],
        description: "HTTPS to the DynamoDB gateway endpoint",
      }),
    ]);
    expect(group("HTTPS to S3 and DynamoDB").egress[0].description).toBe("HTTPS to S3 and DynamoDB");
  });

  test("the security group's description is a prop, naming the function by default", () => {
    const vpc = { vpcId: "vpc-1", subnetIds: ["subnet-1"], egressPrefixListIds: ["pl-1"], region: "eu-west-1", accountId: "123456789012" };
    const description = (securityGroupDescription?: string) =>
      synthConstruct((scope) => new LambdaFunction(scope, "api", { ...props, vpc: { ...vpc, securityGroupDescription } })).only(
        "aws_security_group",
      ).description;
    expect(description()).toBe("Lambda api: no ingress, HTTPS out to AWS service prefix lists only");
    expect(description("Docs API function")).toBe("Docs API function");
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      const fn = new LambdaFunction(scope, "api", props);
      fn.lambdaFunction.addOverride("ephemeral_storage", { size: 1024 });
      fn.logGroup.retentionInDays = 7;
    });
    expect(only("aws_lambda_function").ephemeral_storage).toEqual({ size: 1024 });
    expect(only("aws_cloudwatch_log_group").retention_in_days).toBe(7);
  });
});
