/**
 * Synth assertions for `spend_stop`: the budget's over-the-limit alert, the topic only Budgets may
 * publish to (registry stack), the function subscribed to it, allowed to update this API's stage
 * and nothing else (app stack), its zip built at synth, and nothing of it without the key.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, test } from "vitest";
import { SPEND_STOP_HANDLER_FILE } from "../../modules/spend-stop.js";
import { storedZip } from "../../modules/zip-asset.js";
import { synthConfig } from "../support/synth-config.js";
import { type Block, resources, single } from "../support/tf.js";
import { synthVariant } from "../support/variants.js";

const named = (stack: Block, type: string, prefix: string) => resources(stack, type).filter((r) => r.name.startsWith(prefix));

/** The entries of a stored (uncompressed) zip, checked against their CRC-32. */
function unzipStored(zip: Buffer): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    expect(zip.readUInt16LE(at + 8), "stored, not compressed").toBe(0);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString("utf8");
    const data = zip.subarray(at + 30 + nameLength, at + 30 + nameLength + size);
    expect(crc32(data), name).toBe(zip.readUInt32LE(at + 14));
    files[name] = data;
    at += 30 + nameLength + size;
  }
  expect(zip.readUInt32LE(zip.length - 22), "end of central directory").toBe(0x06054b50);
  return files;
}

describe("without spend_stop", () => {
  test("no topic, function, subscription or SNS subscriber on the budget; the API's id is an output", () => {
    const { stacks } = synthConfig({ budget_monthly_usd: 10, budget_email: "ops@example.com" });
    expect(resources(stacks.registry!, "aws_sns_topic")).toEqual([]);
    for (const n of single(stacks.registry!, "aws_budgets_budget").notification as Block[])
      expect(n.subscriber_sns_topic_arns).toBeUndefined();
    expect(named(stacks.app!, "aws_lambda_function", "spend_stop")).toEqual([]);
    expect(resources(stacks.app!, "aws_sns_topic_subscription")).toEqual([]);
    expect(stacks.app!.output.spend_stop_function).toBeUndefined();
    expect(stacks.app!.output.api_id.value).toMatch(/^\$\{aws_apigatewayv2_api\.api_[0-9A-F]+\.id\}$/);
  });
});

describe("with spend_stop (the alarms variant: eu-west-1, customer key, budget alerting alarm_email)", () => {
  const { stacks, outdir } = synthVariant("alarms");
  const registry = stacks.registry!;
  const app = stacks.app!;
  const [topic] = resources(registry, "aws_sns_topic");
  const topicArn = `\${aws_sns_topic.${topic!.name}.arn}`;
  const [fnEntry] = named(app, "aws_lambda_function", "spend_stop_function_");
  const fn = fnEntry!.body;
  const api = resources(app, "aws_apigatewayv2_api")[0]!.name;

  test("the budget's actual-over-100% alert, and only it, also publishes to the spend-stop topic, created after its policy", () => {
    const budget = single(registry, "aws_budgets_budget");
    const withTopic = (budget.notification as Block[]).filter((n) => n.subscriber_sns_topic_arns);
    expect(withTopic).toEqual([
      expect.objectContaining({
        notification_type: "ACTUAL",
        threshold: 100,
        comparison_operator: "GREATER_THAN",
        subscriber_sns_topic_arns: [topicArn],
      }),
    ]);
    expect(budget.depends_on).toEqual([`aws_sns_topic_policy.${resources(registry, "aws_sns_topic_policy")[0]!.name}`]);
    expect(topic!.body.name).toBe("serverless-starter-spend-stop");
  });

  test("only AWS Budgets of this account may publish to the topic", () => {
    const policy = single(registry, "aws_sns_topic_policy");
    expect(policy.arn).toBe(topicArn);
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: "BudgetsOfThisAccount",
        Effect: "Allow",
        Principal: { Service: "budgets.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": "${data.aws_caller_identity.current.account_id}" },
          ArnLike: { "aws:SourceArn": "arn:aws:budgets::${data.aws_caller_identity.current.account_id}:*" },
        },
      },
    ]);
  });

  test("the function: a Node.js zip, told its API and stage, invoked by the topic (across stacks) and nothing else", () => {
    expect(fn).toMatchObject({
      function_name: "serverless-starter-spend-stop",
      package_type: "Zip",
      runtime: "nodejs22.x",
      handler: "handler.handler",
      architectures: ["arm64"],
      memory_size: 128,
      environment: { variables: { API_ID: `\${aws_apigatewayv2_api.${api}.id}`, STAGE_NAME: "$default" } },
      kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\./),
    });
    const subscription = named(app, "aws_sns_topic_subscription", "spend_stop_")[0]!.body;
    expect(subscription).toMatchObject({ protocol: "lambda", endpoint: `\${aws_lambda_function.${fnEntry!.name}.arn}` });
    // the registry's topic, through the cross-stack output
    const output = /outputs\.(cross-stack-output-[^}]+)\}/.exec(subscription.topic_arn)![1]!;
    expect(registry.output[output].value).toBe(topicArn);
    const permission = named(app, "aws_lambda_permission", "spend_stop_")[0]!.body;
    expect(permission).toMatchObject({
      principal: "sns.amazonaws.com",
      source_arn: subscription.topic_arn,
      action: "lambda:InvokeFunction",
    });
    expect(subscription.depends_on).toEqual([`aws_lambda_permission.${named(app, "aws_lambda_permission", "spend_stop_")[0]!.name}`]);
    expect(app.output.spend_stop_function.value).toBe(`\${aws_lambda_function.${fnEntry!.name}.function_name}`);
  });

  test("its role may write its own log and GET/PATCH this one stage: nothing else", () => {
    const policy = named(app, "aws_iam_role_policy", "spend_stop_")[0]!.body;
    const logGroup = named(app, "aws_cloudwatch_log_group", "spend_stop_")[0]!;
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`\${aws_cloudwatch_log_group.${logGroup.name}.arn}:*`],
      },
      {
        Sid: "ThrottleThisStage",
        Effect: "Allow",
        Action: ["apigateway:GET", "apigateway:PATCH"],
        Resource: [`arn:aws:apigateway:eu-west-1::/apis/\${aws_apigatewayv2_api.${api}.id}/stages/$default`],
      },
      { Sid: "DecryptEnvironment", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [expect.stringMatching(/^\$\{aws_kms_key\./)] },
    ]);
    expect(logGroup.body).toMatchObject({ name: "/aws/lambda/serverless-starter-spend-stop", retention_in_days: 30 });
    expect(named(app, "aws_iam_role", "spend_stop_")[0]!.body.name).toBe("serverless-starter-spend-stop-eu-west-1");
  });

  test("its code: handler.mjs in a zip built at synth, whose SHA-256 is the function's source_code_hash", () => {
    const zip = readFileSync(join(outdir, "stacks", "app", fn.filename));
    expect(createHash("sha256").update(zip).digest("base64")).toBe(fn.source_code_hash);
    expect(unzipStored(zip)).toEqual({ "handler.mjs": readFileSync(SPEND_STOP_HANDLER_FILE) });
  });

  test("the zip is the same bytes on every synth (fixed times and modes), so a fresh checkout plans no code change", () => {
    const { stacks: again } = synthConfig({ budget_monthly_usd: 5, budget_email: "ops@example.com", spend_stop: true });
    expect(named(again.app!, "aws_lambda_function", "spend_stop_function_")[0]!.body.source_code_hash).toBe(fn.source_code_hash);
    const files = { "a.txt": Buffer.from("a"), "b.mjs": Buffer.from("export {}") };
    expect(storedZip(files).equals(storedZip(structuredClone(files)))).toBe(true);
    expect(Object.keys(unzipStored(storedZip(files)))).toEqual(["a.txt", "b.mjs"]);
  });
});
