/**
 * The SNS topic alarms notify, with one e-mail subscription. Only CloudWatch alarms of this
 * account and region may publish to it.
 */

import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument } from "./iam-policy.js";

export interface AlarmTopicProps {
  /** Topic name, unique in the account and region. */
  readonly name: string;
  /** Who gets the notifications; AWS mails a confirmation link first, and nothing arrives until it is clicked. */
  readonly email: string;
  readonly accountId: string;
  /** The topic's region: only alarms of this region can notify it (CloudWatch never publishes across regions). */
  readonly region: string;
  /**
   * Customer managed key encrypting the topic. Its key policy must let cloudwatch.amazonaws.com
   * use it (KmsKey's `allowCloudWatchAlarms`); the AWS managed key alias/aws/sns cannot be used,
   * since its policy cannot be changed and CloudWatch could not publish.
   * @default unencrypted
   */
  readonly kmsKeyArn?: string;
  /** Provider of the topic's region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

export class AlarmTopic extends Construct {
  readonly topicArn: string;
  readonly topic: SnsTopic;
  /** The topic policy: only this account's CloudWatch alarms in this region may publish. */
  readonly policy: SnsTopicPolicy;
  /** The e-mail subscription (pending until the recipient confirms). */
  readonly subscription: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.email)) {
      throw new Error(`AlarmTopic ${id}: email must be an e-mail address, got ${JSON.stringify(props.email)}`);
    }
    if (props.kmsKeyArn && /alias\/aws\/sns$/.test(props.kmsKeyArn)) {
      throw new Error(
        `AlarmTopic ${id}: alias/aws/sns cannot encrypt an alarm topic (CloudWatch may not use the AWS managed key); pass a customer managed key`,
      );
    }
    const provider = props.provider;
    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: props.kmsKeyArn, provider, tags: props.tags });
    this.topicArn = this.topic.arn;

    const statements: PolicyStatement[] = [
      {
        Sid: "CloudWatchAlarmsOfThisAccount",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: this.topic.arn,
        Condition: {
          StringEquals: { "aws:SourceAccount": props.accountId },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${props.region}:${props.accountId}:alarm:*` },
        },
      },
    ];
    // Replaces SNS's default policy (which lets every principal of the account publish); the
    // account's own roles still reach the topic through their IAM policies.
    this.policy = new SnsTopicPolicy(this, "policy", { arn: this.topic.arn, policy: policyDocument(statements), provider });
    this.subscription = new SnsTopicSubscription(this, "email", {
      topicArn: this.topic.arn,
      protocol: "email",
      endpoint: props.email,
      provider,
    });
  }
}
