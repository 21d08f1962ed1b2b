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
