/**
 * `npm run dev` rebuilds a persisted table of an older shape by deleting and creating it. A deleted
 * table stays DELETING for a while (in DynamoDB, and in dynalite, whose deletion is asynchronous
 * even with deleteTableMs 0); creating it again before then is a ResourceInUseException. Under load
 * that race made the rebuild fail now and then; a slow deletion makes it fail every time.
 */
import type { AddressInfo } from "node:net";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { describe, expect, it } from "vitest";
import { createTableInput, usersTableShape } from "../../backend/src/table-definition.js";
import { ensureTable } from "../../scripts/local/dynamodb.js";

describe("rebuilding a table of an older shape", () => {
  it("waits until the old table is gone before creating the new one", async () => {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 300 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
    try {
      await ensureTable(endpoint, {
        TableName: "users",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "UserId", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "UserId", KeyType: "HASH" }],
      });
      await client.send(new PutItemCommand({ TableName: "users", Item: { UserId: { S: "old-timer" } } }));

      const result = await ensureTable(endpoint, createTableInput("users", usersTableShape("UserId")));
      expect(result.upgradedItems).toBe(1);
    } finally {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
