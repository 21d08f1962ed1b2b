import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as AwsKmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { policyDocument } from "./iam-policy.js";

export interface KmsKeyProps {
  /** Alias, without the `alias/` prefix. */
  readonly alias: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Let CloudWatch alarms of this account use the key, to publish to an SNS topic it encrypts
   * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
   * @default false
   */
  readonly allowCloudWatchAlarms?: boolean;
  /** The key's description. @default "Customer managed key for <alias>" */
  readonly description?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * One customer managed key ($1 a month) for the "cost trade-off" encryption checks: the table,
 * log groups, Lambda environment and the web bucket. Its policy lets CloudWatch Logs use it for
 * this account's log groups and CloudFront decrypt objects for this account's distributions (OAC
 * to an SSE-KMS bucket), and, for alarms, CloudWatch publish to topics it encrypts; IAM policies
 * grant everything else.
 */
export class KmsKey extends Construct {
  readonly keyArn: string;
  /** The aws_kms_key; change any attribute with `addOverride` (docs/constructs.md). */
  readonly key: AwsKmsKey;
  /** `alias/<alias>`. */
  readonly keyAlias: KmsAlias;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const key = new AwsKmsKey(this, "key", {
      description: props.description ?? `Customer managed key for ${props.alias}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          Sid: "AccountAdministersKey",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "CloudWatchLogsUse",
          Effect: "Allow",
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${props.region}:${props.accountId}:log-group:*` } },
        },
        {
          Sid: "CloudFrontDecryptsOrigin",
          Effect: "Allow",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Action: ["kms:Decrypt"],
          Resource: "*",
          Condition: { StringLike: { "aws:SourceArn": `arn:aws:cloudfront::${props.accountId}:distribution/*` } },
        },
        ...(props.allowCloudWatchAlarms
          ? [
              {
                Sid: "CloudWatchAlarmsPublishToEncryptedTopics",
                Effect: "Allow" as const,
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: {
                  StringEquals: { "aws:SourceAccount": props.accountId },
                  ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${props.region}:${props.accountId}:alarm:*` },
                },
              },
            ]
          : []),
      ]),
      tags: props.tags,
    });
    this.key = key;
    this.keyAlias = new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
  }
}
