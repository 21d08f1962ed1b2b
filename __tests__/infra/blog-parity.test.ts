/**
 * Every resource the blog's nine community modules create (with the blog's inputs and a domain;
 * the map is docs/blog-parity.md) has its counterpart in the synthesized domain variant, or a
 * documented reason (docs/blog-parity.md, "What we deliberately do not create").
 */
import { describe, expect, test } from "vitest";
import { count, dataSources, resources, single } from "../support/tf.js";
import { synthVariant } from "../support/variants.js";

const { stacks } = synthVariant("domain");
const app = stacks.app!;
const registry = stacks.registry!;

describe("vpc 5.15.0 (17 resources)", () => {
  test("one VPC with DNS support and hostnames, the blog's CIDR", () => {
    const vpc = single(app, "aws_vpc");
    expect(vpc).toMatchObject({ cidr_block: "10.50.0.0/16", enable_dns_hostnames: true, enable_dns_support: true });
  });

  test("two public and two private subnets carved as cidrsubnet(cidr, 8, 1..4), no public IPs", () => {
    const subnets = resources(app, "aws_subnet").map((s) => s.body);
    expect(subnets).toHaveLength(4);
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual([1, 2, 3, 4].map((i) => `\${cidrsubnet("10.50.0.0/16", 8, ${i})}`));
    for (const s of subnets) expect(s.map_public_ip_on_launch).toBe(false);
  });

  test("an internet gateway, one public route table with a default route, two private route tables with none", () => {
    expect(count(app, "aws_internet_gateway")).toBe(1);
    expect(count(app, "aws_route_table")).toBe(3);
    const route = single(app, "aws_route");
    expect(route.destination_cidr_block).toBe("0.0.0.0/0");
    expect(route.gateway_id).toMatch(/^\$\{aws_internet_gateway\./);
    expect(count(app, "aws_route_table_association")).toBe(4);
    expect(count(app, "aws_nat_gateway")).toBe(0);
  });

  test("the default security group (stripped), NACL and route table are taken over", () => {
    expect(single(app, "aws_default_security_group")).toMatchObject({ ingress: [], egress: [] });
    expect(single(app, "aws_default_network_acl").ingress).toHaveLength(2);
    expect(single(app, "aws_default_route_table").route).toEqual([]);
  });
});

test("dynamodb-table 4.2.0: one on-demand table keyed by UserId (plus the list index's keys)", () => {
  expect(single(app, "aws_dynamodb_table")).toMatchObject({
    billing_mode: "PAY_PER_REQUEST",
    hash_key: "UserId",
    attribute: [
      { name: "UserId", type: "S" },
      { name: "ListShard", type: "S" },
      { name: "ListKey", type: "S" },
    ],
  });
});

describe("ecr 2.3.0", () => {
  test("the repository lives in the registry stack, named after the function", () => {
    expect(single(registry, "aws_ecr_repository").name).toBe("backend-api");
    expect(count(app, "aws_ecr_repository")).toBe(0);
  });

  test("no repository policy (Lambda adds its own statement; a Terraform-owned one would fight it)", () => {
    expect(count(registry, "aws_ecr_repository_policy")).toBe(0);
  });
});

describe("lambda 7.14.0 (10 resources)", () => {
  test("an image function with the blog's name, description, memory and timeout", () => {
    expect(single(app, "aws_lambda_function")).toMatchObject({
      function_name: "backend-api",
      description: "Lambda Function based API serving as backend for the app",
      package_type: "Image",
      architectures: ["arm64"],
      memory_size: 256,
      timeout: 5,
    });
  });

  test("its log group /aws/lambda/<name> with retention", () => {
    const groups = resources(app, "aws_cloudwatch_log_group").map((g) => g.body);
    expect(groups).toContainEqual(expect.objectContaining({ name: "/aws/lambda/backend-api", retention_in_days: 30 }));
  });

  test("its role trusts only lambda.amazonaws.com, with the logs and table policy inline", () => {
    const role = single(app, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const statements = JSON.parse(single(app, "aws_iam_role_policy").policy).Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual([
      "WriteOwnLogs",
      "TableAccess",
      "DescribeNetworkInterfaces",
      "ManageNetworkInterfaces",
    ]);
  });

  test("the ENI permissions are inline (the module attached a managed policy), since the function is in the VPC", () => {
    expect(resources(app, "aws_iam_role_policy_attachment")).toEqual([]);
    const actions = JSON.parse(single(app, "aws_iam_role_policy").policy).Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions).toEqual(
      expect.arrayContaining(["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"]),
    );
  });

  test("API Gateway may invoke it, scoped to the API's execution ARN", () => {
    expect(single(app, "aws_lambda_permission")).toMatchObject({
      principal: "apigateway.amazonaws.com",
      action: "lambda:InvokeFunction",
      source_arn: expect.stringMatching(/^\$\{aws_apigatewayv2_api\.[^}]+\.execution_arn\}\/\*\/\*$/),
    });
  });
});

describe("apigateway-v2 5.2.0 (13 resources)", () => {
  test("an HTTP API with a $default auto-deployed stage and access logs", () => {
    expect(single(app, "aws_apigatewayv2_api").protocol_type).toBe("HTTP");
    expect(single(app, "aws_apigatewayv2_stage")).toMatchObject({ name: "$default", auto_deploy: true });
    expect(resources(app, "aws_cloudwatch_log_group").map((g) => g.body.name)).toContain("/aws/apigateway/serverless-starter-api/default");
  });

  test("a Lambda proxy integration with payload format 2.0", () => {
    expect(single(app, "aws_apigatewayv2_integration")).toMatchObject({ integration_type: "AWS_PROXY", payload_format_version: "2.0" });
  });

  test("the custom domain api.<domain> (TLS 1.2, regional) mapped to the stage, with A and AAAA aliases", () => {
    expect(single(app, "aws_apigatewayv2_domain_name")).toMatchObject({
      domain_name: "api.example.com",
      domain_name_configuration: { endpoint_type: "REGIONAL", security_policy: "TLS_1_2" },
    });
    expect(count(app, "aws_apigatewayv2_api_mapping")).toBe(1);
    const apiRecords = resources(app, "aws_route53_record").filter((r) => r.body.name === "api.example.com");
    expect(apiRecords.map((r) => r.body.type).sort()).toEqual(["A", "AAAA"]);
  });

  test("its own regional certificate for api.<domain> only: no spurious api.api.<domain> SAN", () => {
    const certs = resources(app, "aws_acm_certificate").map((c) => c.body);
    const apiCert = certs.find((c) => c.domain_name === "api.example.com");
    expect(apiCert).toBeDefined();
    expect(apiCert!.provider).toBeUndefined();
    expect(apiCert!.subject_alternative_names ?? []).toEqual([]);
    expect(JSON.stringify(app)).not.toContain("api.api.");
  });
});

describe("s3-bucket 4.2.2 (3 resources)", () => {
  test("the bucket, its four public-access blocks and its policy", () => {
    expect(count(app, "aws_s3_bucket")).toBe(1);
    expect(single(app, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(count(app, "aws_s3_bucket_policy")).toBe(1);
  });
});

describe("acm 5.1.1 (4 resources, us-east-1)", () => {
  test("a DNS-validated certificate for app.<domain> in us-east-1, without the unused apex", () => {
    const webCert = resources(app, "aws_acm_certificate").find((c) => c.body.domain_name === "app.example.com");
    expect(webCert?.body).toMatchObject({ validation_method: "DNS", provider: "aws.us_east_1" });
    expect(webCert!.body.subject_alternative_names ?? []).toEqual([]);
    expect(resources(app, "aws_acm_certificate").map((c) => c.body.domain_name)).not.toContain("example.com");
  });

  test("validation records and a validation wait per certificate", () => {
    const validations = resources(app, "aws_route53_record").filter((r) => r.body.for_each);
    expect(validations).toHaveLength(2);
    expect(count(app, "aws_acm_certificate_validation")).toBe(2);
  });
});

describe("cloudfront 3.4.1 (2 resources)", () => {
  test("an origin access control signing sigv4 always", () => {
    expect(single(app, "aws_cloudfront_origin_access_control")).toMatchObject({
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
  });

  test("a distribution for app.<domain>: IPv6, index.html, CachingOptimized, redirect to HTTPS, TLSv1.2_2021", () => {
    const cdn = single(app, "aws_cloudfront_distribution");
    expect(cdn).toMatchObject({
      aliases: ["app.example.com"],
      is_ipv6_enabled: true,
      default_root_object: "index.html",
      default_cache_behavior: {
        viewer_protocol_policy: "redirect-to-https",
        cache_policy_id: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        compress: true,
      },
      viewer_certificate: { ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" },
    });
    // The blog hard-coded `<bucket>.s3.us-east-1.amazonaws.com`; the bucket's own output is used instead.
    expect(cdn.origin[0].domain_name).toMatch(/^\$\{aws_s3_bucket\.[^}]+\.bucket_regional_domain_name\}$/);
  });
});

test("route53 records 4.1.0: app.<domain> aliases the distribution, with AAAA as well as A", () => {
  const web = resources(app, "aws_route53_record").filter((r) => r.body.name === "app.example.com");
  expect(web.map((r) => r.body.type).sort()).toEqual(["A", "AAAA"]);
  for (const r of web) expect(r.body.alias.name).toMatch(/^\$\{aws_cloudfront_distribution\./);
});

test("the hosted zone is looked up by the domain, as the blog's data source does", () => {
  expect(dataSources(app, "aws_route53_zone").map((d) => d.body)).toEqual([
    expect.objectContaining({ name: "example.com", private_zone: false }),
  ]);
});
