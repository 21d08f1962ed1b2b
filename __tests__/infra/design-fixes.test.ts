/**
 * The fixes over the blog's modules (docs/blog-parity.md, "The blog's bugs, fixed"), asserted on the synthesized JSON.
 * (The security rules they overlap with are checked for every variant in __tests__/policy.)
 */
import { describe, expect, test } from "vitest";
import { DYNAMODB_ACTIONS } from "../../backend/src/contract.js";
import { ROUTE_KEYS } from "../../backend/src/routes.js";
import { synthConfig } from "../support/synth-config.js";
import { count, dataSources, resources, single } from "../support/tf.js";
import { synthVariant, VARIANTS } from "../support/variants.js";

const domain = synthVariant("domain").stacks;
const zero = synthVariant("default").stacks;
const noVpc = synthVariant("no-vpc").stacks;
const existingVpc = synthVariant("existing-vpc").stacks;

describe("VPC: the function really joins it, with no NAT", () => {
  test("the function runs in the private subnets with its own security group", () => {
    const fn = single(zero.app!, "aws_lambda_function");
    expect(fn.vpc_config.subnet_ids).toHaveLength(2);
    for (const id of fn.vpc_config.subnet_ids) expect(id).toMatch(/^\$\{aws_subnet\.vpc_private_/);
    expect(fn.vpc_config.security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\./)]);
  });

  test("its security group has no ingress and only HTTPS egress to the DynamoDB prefix list", () => {
    const sg = single(zero.app!, "aws_security_group");
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([
      expect.objectContaining({
        protocol: "tcp",
        from_port: 443,
        to_port: 443,
        prefix_list_ids: [expect.stringMatching(/^\$\{aws_vpc_endpoint\.[^}]+\.prefix_list_id\}$/)],
      }),
    ]);
    expect(sg.egress[0].cidr_blocks ?? []).toEqual([]);
  });

  test("a free DynamoDB gateway endpoint on the private route tables, its policy scoped to the table", () => {
    const endpoint = single(zero.app!, "aws_vpc_endpoint");
    expect(endpoint).toMatchObject({ vpc_endpoint_type: "Gateway", service_name: "com.amazonaws.us-east-1.dynamodb" });
    expect(endpoint.route_table_ids).toHaveLength(2);
    for (const id of endpoint.route_table_ids) expect(id).toMatch(/^\$\{aws_route_table\.vpc_private_rt_/);
    const statements = JSON.parse(endpoint.policy).Statement;
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Resource: [expect.stringMatching(/^\$\{aws_dynamodb_table\.[^}]+\.arn\}$/), expect.stringMatching(/\/index\/NewestFirst$/)],
      }),
    ]);
    expect(count(zero.app!, "aws_nat_gateway") + count(zero.app!, "aws_eip")).toBe(0);
  });

  test("vpc_deploy=false with an existing VPC: no VPC created, the function joins the given subnets", () => {
    const app = existingVpc.app!;
    expect(count(app, "aws_vpc") + count(app, "aws_subnet")).toBe(0);
    expect(single(app, "aws_lambda_function").vpc_config.subnet_ids).toEqual(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]);
    expect(single(app, "aws_vpc_endpoint").vpc_id).toBe("vpc-0123456789abcdef0");
  });

  test("in an existing VPC the endpoint goes on the function's subnets' own route tables only", () => {
    const app = existingVpc.app!;
    const lookups = dataSources(app, "aws_route_tables");
    expect(lookups.map((d) => d.body.filter)).toEqual(
      ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"].map((id) => [{ name: "association.subnet-id", values: [id] }]),
    );
    // a subnet on the VPC's shared main route table stops the plan instead of scoping that table
    for (const { body } of lookups) expect(body.lifecycle.postcondition[0].condition).toBe("${length(self.ids) == 1}");
    expect(single(app, "aws_vpc_endpoint").route_table_ids).toEqual(
      lookups.map((t) => `\${element(data.aws_route_tables.${t.name}.ids, 0)}`),
    );
  });

  test("vpc_dynamodb_endpoint=false reuses the VPC's own endpoint: egress to DynamoDB's managed prefix list", () => {
    const { stacks } = synthConfig({ ...VARIANTS["existing-vpc"], vpc_dynamodb_endpoint: false });
    expect(count(stacks.app!, "aws_vpc_endpoint")).toBe(0);
    const prefixList = dataSources(stacks.app!, "aws_ec2_managed_prefix_list");
    expect(prefixList.map((d) => d.body.name)).toEqual(["com.amazonaws.us-east-1.dynamodb"]);
    expect(single(stacks.app!, "aws_security_group").egress[0].prefix_list_ids).toEqual([
      `\${data.aws_ec2_managed_prefix_list.${prefixList[0]!.name}.id}`,
    ]);
  });

  test("vpc_deploy=false alone: no VPC, no ENI permissions, the function on Lambda-managed networking", () => {
    const app = noVpc.app!;
    expect(count(app, "aws_vpc") + count(app, "aws_vpc_endpoint") + count(app, "aws_security_group")).toBe(0);
    expect(single(app, "aws_lambda_function").vpc_config).toBeUndefined();
    expect(count(app, "aws_iam_role_policy_attachment")).toBe(0);
  });
});

describe("DynamoDB", () => {
  test("point-in-time recovery and deletion protection are on by default", () => {
    expect(single(zero.app!, "aws_dynamodb_table")).toMatchObject({
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
    });
  });
});

describe("ECR", () => {
  test("immutable tags, scan on push, and a lifecycle policy keeping the last 10 images", () => {
    expect(single(zero.registry!, "aws_ecr_repository")).toMatchObject({
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
    });
    const rules = JSON.parse(single(zero.registry!, "aws_ecr_lifecycle_policy").policy).rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        selection: expect.objectContaining({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 }),
      }),
    );
  });
});

describe("Lambda", () => {
  test("least privilege: exactly the DynamoDB actions the backend uses, on the table and its index only", () => {
    const statements = JSON.parse(single(zero.app!, "aws_iam_role_policy").policy).Statement;
    const dynamo = statements.filter((s: { Action: string[] }) => s.Action.some((a) => a.startsWith("dynamodb:")));
    expect(dynamo).toEqual([
      {
        Sid: "TableAccess",
        Effect: "Allow",
        Action: [...DYNAMODB_ACTIONS],
        // The table and its list index (GET /users queries the index, authorized on the index ARN).
        Resource: [
          expect.stringMatching(/^\$\{aws_dynamodb_table\.[^}]+\.arn\}$/),
          expect.stringMatching(/^\$\{aws_dynamodb_table\.[^}]+\.arn\}\/index\/NewestFirst$/),
        ],
      },
    ]);
  });

  test("logs go to its own group with retention, in JSON", () => {
    const fn = single(zero.app!, "aws_lambda_function");
    expect(fn.logging_config).toMatchObject({ log_format: "JSON", log_group: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\./) });
  });

  test("reserved concurrency is off by default and set when configured", () => {
    expect(single(zero.app!, "aws_lambda_function").reserved_concurrent_executions).toBeUndefined();
    const toggled = resources(synthVariant("all-toggles").stacks.app!, "aws_lambda_function");
    expect(toggled.find((f) => f.name.startsWith("api_function_"))!.body.reserved_concurrent_executions).toBe(10);
  });
});

describe("API Gateway", () => {
  test("explicit routes, exactly the backend's route table: unknown paths never reach the function", () => {
    const keys = resources(zero.app!, "aws_apigatewayv2_route").map((r) => r.body.route_key);
    expect(keys.sort()).toEqual([...ROUTE_KEYS].sort());
    expect(keys).not.toContain("$default");
  });

  test("CORS allows the web origin only", () => {
    expect(single(domain.app!, "aws_apigatewayv2_api").cors_configuration.allow_origins).toEqual(["https://app.example.com"]);
    expect(single(zero.app!, "aws_apigatewayv2_api").cors_configuration.allow_origins).toEqual([
      expect.stringMatching(/^https:\/\/\$\{aws_cloudfront_distribution\.[^}]+\.domain_name\}$/),
    ]);
  });

  test("non-zero throttling per route, a lower one for writes, and no billed detailed metrics", () => {
    const stage = single(zero.app!, "aws_apigatewayv2_stage");
    expect(stage.default_route_settings).toEqual({
      throttling_rate_limit: 5,
      throttling_burst_limit: 10,
      detailed_metrics_enabled: false,
    });
    expect(stage.route_settings).toEqual([
      { route_key: "POST /users", throttling_rate_limit: 1, throttling_burst_limit: 5, detailed_metrics_enabled: false },
    ]);
    // API Gateway refuses route settings for a route that does not exist yet
    expect(stage.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_apigatewayv2_route\./)]));
    expect(stage.depends_on).toHaveLength(5);
  });

  test("the default endpoint is disabled when the custom domain serves the API, and only then", () => {
    expect(single(domain.app!, "aws_apigatewayv2_api").disable_execute_api_endpoint).toBe(true);
    expect(single(zero.app!, "aws_apigatewayv2_api").disable_execute_api_endpoint).toBe(false);
  });
});

describe("S3 and CloudFront", () => {
  test("the bucket: BucketOwnerEnforced, SSE, versioning with noncurrent expiry, TLS-only deny, OAC-only read", () => {
    const app = zero.app!;
    expect(single(app, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(
      single(app, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm,
    ).toBe("AES256");
    expect(single(app, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(single(app, "aws_s3_bucket_lifecycle_configuration").rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    const statements = JSON.parse(single(app, "aws_s3_bucket_policy").policy).Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Condition: { StringEquals: { "AWS:SourceArn": expect.stringMatching(/^\$\{aws_cloudfront_distribution\.[^}]+\.arn\}$/) } },
      }),
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:ListBucket", // a missing key is S3's 404, not 403
        Condition: { StringEquals: { "AWS:SourceArn": expect.stringMatching(/^\$\{aws_cloudfront_distribution\.[^}]+\.arn\}$/) } },
      }),
    ]);
  });

  test("the bucket name is derived from project, stage and account when not given", () => {
    expect(single(zero.app!, "aws_s3_bucket").bucket).toBe("serverless-starter-web-${data.aws_caller_identity.current.account_id}");
  });

  test("CloudFront: GET/HEAD only, security headers, client-side routes by function (no error becomes a page), cheapest price class, IPv6", () => {
    const cdn = single(zero.app!, "aws_cloudfront_distribution");
    expect(cdn.default_cache_behavior.allowed_methods).toEqual(["GET", "HEAD"]);
    expect(cdn.default_cache_behavior.response_headers_policy_id).toMatch(/^\$\{aws_cloudfront_response_headers_policy\./);
    expect(cdn.custom_error_response).toBeUndefined();
    expect(cdn.default_cache_behavior.function_association).toEqual([expect.objectContaining({ event_type: "viewer-request" })]);
    expect(cdn.price_class).toBe("PriceClass_100");
    expect(cdn.is_ipv6_enabled).toBe(true);
  });

  test("the CSP lets the app call its API: by name with a domain, the region's execute-api hosts without", () => {
    const csp = (stack: typeof zero.app) =>
      single(stack!, "aws_cloudfront_response_headers_policy").security_headers_config.content_security_policy
        .content_security_policy as string;
    expect(csp(domain.app)).toContain("connect-src 'self' https://api.example.com;");
    expect(csp(zero.app)).toContain("connect-src 'self' https://*.execute-api.us-east-1.amazonaws.com;");
    expect(csp(zero.app)).toContain("script-src 'self';");
    const headers = single(zero.app!, "aws_cloudfront_response_headers_policy").security_headers_config;
    expect(headers.strict_transport_security).toMatchObject({ access_control_max_age_sec: 63072000, include_subdomains: true });
  });

  test("without a domain: CloudFront's own certificate, the API's default endpoint, no ACM or Route53", () => {
    const app = zero.app!;
    expect(single(app, "aws_cloudfront_distribution").viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(count(app, "aws_acm_certificate") + count(app, "aws_route53_record") + count(app, "aws_apigatewayv2_domain_name")).toBe(0);
    expect(dataSources(app, "aws_route53_zone")).toHaveLength(0);
  });
});
