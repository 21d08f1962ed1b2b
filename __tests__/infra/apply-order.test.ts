/**
 * What AWS enforces only at apply or destroy time, which `terraform validate` and a mocked plan
 * cannot see: resources that must exist before another one is created, and buckets that must
 * be deletable while logs still arrive.
 */
import { describe, expect, test } from "vitest";
import { synthConfig } from "../support/synth-config.js";
import { resources, single } from "../support/tf.js";
import { synthVariant } from "../support/variants.js";

const toggles = synthVariant("all-toggles").stacks.app!;
const zero = synthVariant("default").stacks.app!;

const named = (type: string, fragment: string) => {
  const found = resources(toggles, type).filter((r) => r.name.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${fragment}*, found ${found.length}`);
  return `${type}.${found[0]!.name}`;
};

describe("access logging", () => {
  test("the distribution waits for the log bucket's ACLs (CloudFront refuses a bucket without them)", () => {
    const distribution = single(toggles, "aws_cloudfront_distribution");
    expect(distribution.logging_config.bucket).toContain("aws_s3_bucket.access_logs_bucket");
    expect(distribution.depends_on).toEqual(
      expect.arrayContaining([named("aws_s3_bucket_ownership_controls", "access_logs"), named("aws_s3_bucket_policy", "access_logs")]),
    );
  });

  test("the web bucket's server access logging waits for the log bucket's policy", () => {
    expect(single(toggles, "aws_s3_bucket_logging").depends_on).toEqual(
      expect.arrayContaining([named("aws_s3_bucket_policy", "access_logs")]),
    );
  });

  test("only the log bucket is force-destroyed: logs keep arriving after the destroy emptied it", () => {
    const buckets = Object.fromEntries(resources(toggles, "aws_s3_bucket").map((b) => [b.name, b.body.force_destroy]));
    expect(
      Object.entries(buckets)
        .filter(([name]) => name.startsWith("access_logs"))
        .map(([, f]) => f),
    ).toEqual([true]);
    expect(
      Object.entries(buckets)
        .filter(([name]) => name.startsWith("web_bucket"))
        .map(([, f]) => f),
    ).toEqual([false]);
  });

  test("without access logging the distribution waits for nothing extra", () => {
    expect(single(zero, "aws_cloudfront_distribution").depends_on).toBeUndefined();
  });
});

describe("web assets", () => {
  test("every object waits for the bucket's default encryption (a KMS default does not apply to earlier uploads)", () => {
    const encryption = named("aws_s3_bucket_server_side_encryption_configuration", "web_bucket");
    const objects = resources(toggles, "aws_s3_object");
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) expect(o.body.depends_on, o.name).toContain(encryption);
  });
});

describe("names", () => {
  test("a mixed-case lambda_name names the function as given and the ECR repository in lower case", () => {
    const { stacks } = synthConfig({ lambda_name: "Backend_API", stage: "qa" });
    expect(single(stacks["registry-qa"]!, "aws_ecr_repository").name).toBe("backend_api-qa");
    expect(single(stacks["app-qa"]!, "aws_lambda_function").function_name).toBe("Backend_API-qa");
  });
});
