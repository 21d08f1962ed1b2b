import { S3Bucket as AwsS3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { type ITerraformDependable, Lazy } from "cdktf";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument } from "./iam-policy.js";

/** Server-side encryption of one object (the aws_s3_object arguments of the same names). */
export interface ObjectEncryption {
  readonly serverSideEncryption: "AES256" | "aws:kms";
  /** With "aws:kms": the key. */
  readonly kmsKeyId?: string;
  /** With "aws:kms": fewer KMS requests, lower bill. */
  readonly bucketKeyEnabled?: boolean;
}

export interface S3BucketProps {
  /** Bucket name (the module's `bucket`); may contain `${...}` references such as the account id. */
  readonly bucket: string;
  /** Noncurrent object versions expire after this many days. @default 30 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Customer managed KMS key (CKV_AWS_145). @default SSE-S3 (AES256), free */
  readonly kmsKeyArn?: string;
  /**
   * Object ownership. BucketOwnerEnforced disables ACLs (CKV2_AWS_65, and OAC requires it);
   * only a CloudFront standard-logging target needs ACLs, hence BucketOwnerPreferred there.
   * @default "BucketOwnerEnforced"
   */
  readonly objectOwnership?: "BucketOwnerEnforced" | "BucketOwnerPreferred";
  /**
   * Server access logs to this bucket (CKV_AWS_18); `bucketWriteSettings` (that bucket's
   * `writeSettings`) holds logging back until its policy lets S3 deliver. @default none
   */
  readonly accessLogs?: { bucketName: string; prefix: string; bucketWriteSettings?: ITerraformDependable[] };
  /**
   * Make this the target of S3 server access logs from this account's buckets: the policy lets the
   * S3 logging service principal put objects, for source buckets of this account only (the bucket
   * policy AWS documents in place of the log-delivery group ACL,
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
   * @default not a server-access-log target
   */
  readonly serverAccessLogsSourceAccount?: string;
  /** Expire current objects after this many days (for log buckets). @default never */
  readonly expirationDays?: number;
  /**
   * Let `terraform destroy` delete the bucket with whatever is still in it. Only for buckets whose
   * content is expendable and keeps arriving while the stack is destroyed (log buckets: CloudFront
   * and S3 deliver logs minutes after `npm run destroy` has emptied them).
   * @default false
   */
  readonly forceDestroy?: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The app's pattern, modelled on terraform-aws-modules/s3-bucket 4.2 with what the blog left at
 * defaults made explicit: ACLs disabled, all four public-access blocks, default encryption,
 * versioning with noncurrent expiry (and aborted uploads cleaned up), and a bucket policy that
 * denies non-TLS access.
 */
export class S3Bucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketRegionalDomainName: string;
  readonly bucketDomainName: string;
  /** ARN pattern of every object, for policy statements. */
  readonly objectsArn: string;
  /**
   * Ownership controls, default encryption and bucket policy: whatever writes into the bucket must
   * wait for them. CloudFront refuses a log bucket whose ACLs are not enabled yet (new buckets
   * start without), S3 cannot deliver access logs before the policy lets it, and an object
   * uploaded before a KMS default is in place stays SSE-S3 until it changes.
   */
  readonly writeSettings: ITerraformDependable[];
  /**
   * The bucket's default encryption, to set on each object it holds. The provider re-uploads an
   * object when these change, but leaves objects alone when only the bucket default changes: old
   * objects would stay encrypted with a key that may be pending deletion.
   */
  readonly objectEncryption: ObjectEncryption;
  /** The aws_s3_bucket; change any attribute with `addOverride` (docs/constructs.md). */
  readonly bucket: AwsS3Bucket;
  /** Object ownership (ACLs disabled unless `objectOwnership` says otherwise). */
  readonly ownershipControls: S3BucketOwnershipControls;
  /** All four public-access blocks on. */
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** Default encryption (SSE-S3, or SSE-KMS with `kmsKeyArn`). */
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  /** Versioning, enabled. */
  readonly versioning: S3BucketVersioningA;
  /** Noncurrent-version expiry, aborted-upload cleanup and the optional `expirationDays`. */
  readonly lifecycleConfiguration: S3BucketLifecycleConfiguration;
  /** Server access logging, when `accessLogs` is given. */
  readonly logging?: S3BucketLoggingA;
  /** The bucket policy (TLS-only, plus `addToResourcePolicy` statements). */
  readonly policy: S3BucketPolicy;
  private readonly extraStatements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: S3BucketProps) {
    super(scope, id);
    const tags = props.tags ?? {};
    const bucket = new AwsS3Bucket(this, "bucket", { bucket: props.bucket, forceDestroy: props.forceDestroy ?? false, tags });
    this.bucket = bucket;
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
    this.bucketDomainName = bucket.bucketDomainName;

    const ownership = new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: props.objectOwnership ?? "BucketOwnerEnforced" },
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public_access_block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.objectEncryption = props.kmsKeyArn
      ? { serverSideEncryption: "aws:kms", kmsKeyId: props.kmsKeyArn, bucketKeyEnabled: true }
      : { serverSideEncryption: "AES256" };
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: "AES256" },
          bucketKeyEnabled: props.kmsKeyArn ? true : undefined, // fewer KMS requests, lower bill
        },
      ],
    });
    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    this.lifecycleConfiguration = new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 30 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          expiration: props.expirationDays ? [{ days: props.expirationDays }] : undefined,
        },
      ],
      dependsOn: [versioning],
    });
    if (props.accessLogs) {
      this.logging = new S3BucketLoggingA(this, "logging", {
        bucket: bucket.id,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
        dependsOn: props.accessLogs.bucketWriteSettings,
      });
    }

    const objectsArn = `${bucket.arn}/*`;
    this.objectsArn = objectsArn;
    const policy = new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      // Lazy: statements naming resources created later (the distribution) are added after construction.
      policy: Lazy.stringValue({
        produce: () =>
          policyDocument([
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [bucket.arn, objectsArn],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            ...this.extraStatements,
          ]),
      }),
      // A policy written before the public-access block exists can be refused as "public".
      dependsOn: [publicAccessBlock, ownership],
    });
    if (props.serverAccessLogsSourceAccount) {
      this.addToResourcePolicy({
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: objectsArn,
        Condition: { StringEquals: { "aws:SourceAccount": props.serverAccessLogsSourceAccount } },
      });
    }
    this.writeSettings = [ownership, encryption, policy];
    this.ownershipControls = ownership;
    this.publicAccessBlock = publicAccessBlock;
    this.encryption = encryption;
    this.versioning = versioning;
    this.policy = policy;
  }

  /** Adds a statement to the bucket policy (aws-cdk-lib's addToResourcePolicy). */
  addToResourcePolicy(statement: PolicyStatement): void {
    this.extraStatements.push(statement);
  }
}
