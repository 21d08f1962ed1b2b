/** DynamodbTable on its own: the secure defaults, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { DynamodbTable, type DynamodbTableProps } from "../../modules/dynamodb-table.js";
import { synthConstruct } from "./support/synth.js";

const props: DynamodbTableProps = { name: "users", hashKey: "Pk", attributes: [{ name: "Pk", type: "S" }] };

describe("DynamodbTable", () => {
  test("on demand, point-in-time recovery and deletion protection on by default", () => {
    const { only } = synthConstruct((scope) => new DynamodbTable(scope, "users", props));
    expect(only("aws_dynamodb_table")).toMatchObject({
      name: "users",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "Pk",
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
    });
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      const table = new DynamodbTable(scope, "users", props);
      table.table.addOverride("table_class", "STANDARD_INFREQUENT_ACCESS");
    });
    expect(only("aws_dynamodb_table").table_class).toBe("STANDARD_INFREQUENT_ACCESS");
  });
});
