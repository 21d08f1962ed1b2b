/** ApiGatewayV2 on its own: the secure defaults, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { ApiGatewayV2, type ApiGatewayV2Props } from "../../modules/apigateway-v2.js";
import { synthConstruct } from "./support/synth.js";

const props: ApiGatewayV2Props = {
  name: "api",
  routeKeys: ["GET /users", "POST /users"],
  functionInvokeArn: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn/invocations",
  cors: { allowOrigins: ["https://example.com"] },
};

describe("ApiGatewayV2", () => {
  test("explicit routes, a stage throttle and access logs by default", () => {
    const { resources, only } = synthConstruct((scope) => new ApiGatewayV2(scope, "http", props));
    expect(Object.values(resources.aws_apigatewayv2_route!).map((r) => r.route_key)).toEqual(["GET /users", "POST /users"]);
    expect(only("aws_apigatewayv2_api").cors_configuration).toMatchObject({
      allow_origins: ["https://example.com"],
      allow_methods: ["GET", "POST", "OPTIONS"],
    });
    const stage = only("aws_apigatewayv2_stage");
    expect(stage.default_route_settings).toMatchObject({
      throttling_rate_limit: 5,
      throttling_burst_limit: 10,
      detailed_metrics_enabled: false,
    });
    expect(stage.access_log_settings.destination_arn).toContain("aws_cloudwatch_log_group");
    expect(only("aws_cloudwatch_log_group").retention_in_days).toBe(30);
  });

  test("refuses a zero throttle", () => {
    expect(() => synthConstruct((scope) => new ApiGatewayV2(scope, "http", { ...props, throttlingRateLimit: 0 }))).toThrow(
      /must be positive/,
    );
  });

  test("an exposed resource takes an override", () => {
    const { resources, only } = synthConstruct((scope) => {
      const api = new ApiGatewayV2(scope, "http", props);
      api.stage.addOverride("default_route_settings.throttling_rate_limit", 20);
      api.routes[0]!.authorizationType = "AWS_IAM";
    });
    expect(only("aws_apigatewayv2_stage").default_route_settings.throttling_rate_limit).toBe(20);
    expect(Object.values(resources.aws_apigatewayv2_route!).map((r) => r.authorization_type)).toEqual(["AWS_IAM", "NONE"]);
  });
});
