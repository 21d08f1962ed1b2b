/** S3Bucket on its own: the secure defaults, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { S3Bucket, type S3BucketProps } from "../../modules/s3-bucket.js";
import { synthConstruct } from "./support/synth.js";

describe("S3Bucket", () => {
  test("private, encrypted, versioned, TLS-only by default", () => {
    const { only } = synthConstruct((scope) => new S3Bucket(scope, "assets", { bucket: "assets" }));
    expect(only("aws_s3_bucket")).toMatchObject({ bucket: "assets", force_destroy: false });
    expect(only("aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only("aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(only("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe(
      "AES256",
    );
    expect(only("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(only("aws_s3_bucket_lifecycle_configuration").rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    const policy = JSON.parse(only("aws_s3_bucket_policy").policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  test("only a server-access-log target lets the S3 logging service write, for its own account's buckets", () => {
    const policyOf = (props: S3BucketProps) =>
      JSON.parse(synthConstruct((scope) => new S3Bucket(scope, "logs", props)).only("aws_s3_bucket_policy").policy);
    expect(policyOf({ bucket: "logs" }).Statement).toHaveLength(1);
    const statements = policyOf({ bucket: "logs", serverAccessLogsSourceAccount: "123456789012" }).Statement;
    expect(statements[1]).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    expect(statements[1].Resource).toMatch(/\/\*$/);
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      const bucket = new S3Bucket(scope, "assets", { bucket: "assets" });
      bucket.bucket.addOverride("object_lock_enabled", true);
      bucket.lifecycleConfiguration.addOverride("rule.0.abort_incomplete_multipart_upload.0.days_after_initiation", 2);
    });
    expect(only("aws_s3_bucket").object_lock_enabled).toBe(true);
    expect(only("aws_s3_bucket_lifecycle_configuration").rule[0].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 2 }]);
  });
});
