/**
 * The table construct on its own: sort key, global secondary indexes, TTL, stream, and a grant
 * covering the index ARNs and, with a customer managed key, the key's use through DynamoDB.
 * Then the app stack's table, built from the backend's one table definition.
 */
import { type TerraformStack, Testing } from "cdktf";
import { describe, expect, test } from "vitest";
import { DYNAMODB_ACTIONS } from "../../backend/src/contract.js";
import { createTableInput, usersTableShape } from "../../backend/src/table-definition.js";
import { DynamodbTable, type DynamodbTableProps } from "../../modules/dynamodb-table.js";
import { synthConfig } from "../support/synth-config.js";
import { single } from "../support/tf.js";

const orders: DynamodbTableProps = {
  name: "orders",
  hashKey: "Pk",
  rangeKey: "Sk",
  attributes: [
    { name: "Pk", type: "S" },
    { name: "Sk", type: "S" },
    { name: "Status", type: "S" },
    { name: "Total", type: "N" },
  ],
  globalSecondaryIndexes: [
    { name: "ByStatus", hashKey: "Status", rangeKey: "Total", projectionType: "INCLUDE", nonKeyAttributes: ["Customer"] },
    { name: "ByTotal", hashKey: "Total", projectionType: "KEYS_ONLY" },
  ],
  ttlAttribute: "ExpiresAt",
  streamViewType: "NEW_AND_OLD_IMAGES",
};

function synthTable(props: DynamodbTableProps) {
  let table!: DynamodbTable;
  const stack = Testing.synthScope((scope) => {
    table = new DynamodbTable(scope as TerraformStack, "orders", props);
  });
  return { resource: Object.values(JSON.parse(stack).resource.aws_dynamodb_table)[0] as Record<string, any>, table };
}

describe("DynamodbTable props", () => {
  test("sort key, indexes with their keys and projections, TTL and a stream reach the resource", () => {
    const { resource, table } = synthTable(orders);
    expect(resource).toMatchObject({
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "Pk",
      range_key: "Sk",
      global_secondary_index: [
        { name: "ByStatus", hash_key: "Status", range_key: "Total", projection_type: "INCLUDE", non_key_attributes: ["Customer"] },
        { name: "ByTotal", hash_key: "Total", projection_type: "KEYS_ONLY" },
      ],
      ttl: { enabled: true, attribute_name: "ExpiresAt" },
      stream_enabled: true,
      stream_view_type: "NEW_AND_OLD_IMAGES",
    });
    expect(table.streamArn).toEqual(expect.any(String));
  });

  test("without them: no range key, index, TTL or stream", () => {
    const { resource, table } = synthTable({ name: "plain", hashKey: "Id", attributes: [{ name: "Id", type: "S" }] });
    for (const key of ["range_key", "global_secondary_index", "ttl", "stream_enabled", "stream_view_type"])
      expect(resource[key]).toBeUndefined();
    expect(table.streamArn).toBeUndefined();
  });

  test.each<[string, Partial<DynamodbTableProps>, RegExp]>([
    [
      "an index key that is not defined",
      { globalSecondaryIndexes: [{ name: "X", hashKey: "Nope", projectionType: "ALL" }] },
      /index X hashKey "Nope" is not among attributes/,
    ],
    ["an attribute no key uses", { globalSecondaryIndexes: [] }, /attribute "Status" is no key/],
    [
      "INCLUDE without attributes",
      {
        globalSecondaryIndexes: [
          { name: "S", hashKey: "Status", rangeKey: "Total", projectionType: "INCLUDE" },
          { name: "T", hashKey: "Total", projectionType: "ALL" },
        ],
      },
      /INCLUDE/,
    ],
    ["a TTL on a key attribute", { ttlAttribute: "Total" }, /ttlAttribute "Total" is a key attribute/],
    ["a customer key without the region", { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc" }, /region is required/],
  ])("refuses %s at synth time", (_what, change, message) => {
    expect(() => synthTable({ ...orders, ...change })).toThrow(message);
  });
});

describe("DynamodbTable.grant", () => {
  test("covers the table and every index ARN, nothing else, and no KMS without a customer key", () => {
    const { table } = synthTable(orders);
    const statements = table.grant(["dynamodb:Query"]);
    expect(statements).toEqual([
      {
        Sid: "TableAccess",
        Effect: "Allow",
        Action: ["dynamodb:Query"],
        Resource: [table.tableArn, `${table.tableArn}/index/ByStatus`, `${table.tableArn}/index/ByTotal`],
      },
    ]);
  });

  test("with a customer managed key: the key's use, only through DynamoDB in the table's region", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/abc";
    const { table } = synthTable({ ...orders, kmsKeyArn, region: "eu-west-1" });
    const [, readOnly] = table.grant(["dynamodb:GetItem", "dynamodb:Query"]);
    expect(readOnly).toEqual({
      Sid: "TableKeyThroughDynamoDb",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: [kmsKeyArn],
      Condition: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } },
    });
    const [, readWrite] = table.grant(["dynamodb:PutItem"]);
    expect(readWrite!.Action).toEqual(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"]);
  });
});

describe("the app stack's table is the backend's table definition", () => {
  test("the deployed table has exactly the keys and index the local and test tables are created with", () => {
    const { stacks } = synthConfig({ table_attributes: [{ name: "Pk", type: "S" }], table_hash_key: "Pk" });
    const deployed = single(stacks.app!, "aws_dynamodb_table");
    const local = createTableInput("users", usersTableShape("Pk"));
    expect(deployed.hash_key).toBe("Pk");
    expect(deployed.attribute).toEqual(local.AttributeDefinitions!.map((a) => ({ name: a.AttributeName, type: a.AttributeType })));
    expect(deployed.global_secondary_index).toEqual(
      local.GlobalSecondaryIndexes!.map((index) => ({
        name: index.IndexName,
        hash_key: index.KeySchema![0]!.AttributeName,
        range_key: index.KeySchema![1]!.AttributeName,
        projection_type: index.Projection!.ProjectionType,
        non_key_attributes: index.Projection!.NonKeyAttributes,
      })),
    );
  });

  test("with kms_customer_key the function may use the key through DynamoDB for the table", () => {
    const { stacks } = synthConfig({ kms_customer_key: true });
    const statements = JSON.parse(single(stacks.app!, "aws_iam_role_policy").policy).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: "TableKeyThroughDynamoDb",
        Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
        Condition: { StringEquals: { "kms:ViaService": "dynamodb.us-east-1.amazonaws.com" } },
      }),
    );
    expect(DYNAMODB_ACTIONS).toContain("dynamodb:PutItem");
  });
});
