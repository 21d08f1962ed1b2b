/**
 * The spend stop (config `spend_stop`): when the month's actual cost passes the budget, AWS
 * Budgets publishes to a topic, and a small function throttles the API's stage to zero requests
 * a second. Two halves, one per stack: the topic lives with the budget (registry stack), the
 * function with the API it stops (app stack). docs/operations.md says why the stage throttle and
 * not the function's reserved concurrency, and what Terraform's next plan shows.
 */
import { fileURLToPath } from "node:url";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { policyDocument } from "./iam-policy.js";
import { LambdaFunction } from "./lambda.js";
import { ZipAsset } from "./zip-asset.js";

/** The function's source: plain JavaScript, zipped as is. */
export const SPEND_STOP_HANDLER_FILE = fileURLToPath(new URL("./spend-stop/handler.mjs", import.meta.url));
/** A Node.js runtime Lambda supports, with the AWS SDK for JavaScript v3 built in. */
export const SPEND_STOP_RUNTIME = "nodejs22.x";

export interface SpendStopTopicProps {
  /** Topic name, unique in the account and region. */
  readonly name: string;
  readonly accountId: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The topic the budget's "actual cost over the limit" alert publishes to. Only AWS Budgets of
 * this account may publish: Budgets needs a topic policy admitting budgets.amazonaws.com
 * (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html), and the
 * policy replaces SNS's default one, which lets every principal of the account publish.
 * Unencrypted: the messages hold the budget's name and amounts (see __tests__/policy/exceptions.ts).
 */
export class SpendStopTopic extends Construct {
  readonly topic: SnsTopic;
  readonly topicArn: string;
  /** The topic's policy: the budget must be created after it, or Budgets cannot publish. */
  readonly policy: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: SpendStopTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: props.name, tags: props.tags });
    this.topicArn = this.topic.arn;
    this.policy = new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: "BudgetsOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "budgets.amazonaws.com" },
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: {
            StringEquals: { "aws:SourceAccount": props.accountId },
            ArnLike: { "aws:SourceArn": `arn:aws:budgets::${props.accountId}:*` },
          },
        },
      ]),
    });
  }
}

export interface SpendStopProps {
  /** The function's name (regional). */
  readonly functionName: string;
  /** Its execution role's name (account-wide). */
  readonly roleName: string;
  /** The spend-stop topic (the registry stack's `SpendStopTopic.topicArn`). */
  readonly topicArn: string;
  /** The API and stage the function may throttle, and nothing else. */
  readonly api: { readonly id: string; readonly stageName: string };
  /** The API's region (the stage's ARN carries it). */
  readonly region: string;
  /** Retention of the function's log group, in days. @default 30 */
  readonly logRetentionDays?: number;
  /** Customer managed key for the log group and environment. @default AWS managed keys */
  readonly kmsKeyArn?: string;
  /** @default "PassThrough" */
  readonly tracingMode?: "Active" | "PassThrough";
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** The function, subscribed to the topic, allowed to read and update one stage. */
export class SpendStop extends Construct {
  readonly function: LambdaFunction;
  readonly subscription: SnsTopicSubscription;
  /** ARN of the one stage the function may change. */
  readonly stageArn: string;

  constructor(scope: Construct, id: string, props: SpendStopProps) {
    super(scope, id);
    const code = new ZipAsset(this, "code", { files: { "handler.mjs": SPEND_STOP_HANDLER_FILE } });
    // API Gateway's management API authorizes on the resource path: GetStage is apigateway:GET,
    // UpdateStage apigateway:PATCH, on arn:aws:apigateway:<region>::/apis/<id>/stages/<stage>
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html).
    this.stageArn = `arn:aws:apigateway:${props.region}::/apis/${props.api.id}/stages/${props.api.stageName}`;
    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      roleName: props.roleName,
      description: "Spend stop: throttles the API stage to 0 when the budget's actual cost passes its limit",
      zip: { filename: code.path, sourceCodeHash: code.sha256, handler: "handler.handler", runtime: SPEND_STOP_RUNTIME },
      architecture: "arm64",
      memorySize: 128,
      timeout: 30,
      environment: { API_ID: props.api.id, STAGE_NAME: props.api.stageName },
      logRetentionDays: props.logRetentionDays ?? 30,
      policyStatements: [
        { Sid: "ThrottleThisStage", Effect: "Allow", Action: ["apigateway:GET", "apigateway:PATCH"], Resource: [this.stageArn] },
      ],
      kmsKeyArn: props.kmsKeyArn,
      tracingMode: props.tracingMode,
      tags: props.tags,
    });
    const permission = this.function.allowInvoke("AllowSpendStopTopic", "sns.amazonaws.com", props.topicArn);
    this.subscription = new SnsTopicSubscription(this, "subscription", {
      topicArn: props.topicArn,
      protocol: "lambda",
      endpoint: this.function.functionArn,
      dependsOn: [permission],
    });
  }
}
