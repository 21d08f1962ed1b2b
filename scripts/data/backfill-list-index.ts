/**
 * Gives users stored before the list index existed the index's keys (ListShard, ListKey, from
 * their own userId and CreatedAt), so GET /users lists them. New creates set them already. Safe to
 * run again or while the API serves: each write is conditional on the item still lacking them.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { ITEM_ATTRIBUTES, withListKeys } from "../../backend/src/table-definition.js";

export interface BackfillOptions {
  client: DynamoDBClient;
  tableName: string;
  hashKey: string;
  /** One line per scanned page. @default no output */
  log?: (line: string) => void;
  /** Concurrent UpdateItem calls. @default 8 */
  concurrency?: number;
}

export interface BackfillResult {
  /** Items the scan read (all of them: a scan filter does not reduce what it reads). */
  scanned: number;
  /** Items given the list keys. */
  updated: number;
  /** Items lacking the keys that cannot get them (no CreatedAt), left as they are. */
  skipped: number;
}

export async function backfillListIndex({ client, tableName, hashKey, log, concurrency = 8 }: BackfillOptions): Promise<BackfillResult> {
  const result: BackfillResult = { scanned: 0, updated: 0, skipped: 0 };
  const names = { "#k": hashKey, "#c": ITEM_ATTRIBUTES.createdAt, "#s": ITEM_ATTRIBUTES.listShard, "#l": ITEM_ATTRIBUTES.listKey };
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: "attribute_not_exists(#l)",
        ProjectionExpression: "#k, #c",
        ExpressionAttributeNames: { "#k": names["#k"], "#c": names["#c"], "#l": names["#l"] },
        ExclusiveStartKey: start,
      }),
    );
    result.scanned += page.ScannedCount ?? 0;
    const pending = [...(page.Items ?? [])];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let item = pending.shift(); item; item = pending.shift()) {
          const upgraded = withListKeys(item, hashKey);
          if (!upgraded) {
            result.skipped += 1;
            continue;
          }
          try {
            await client.send(
              new UpdateItemCommand({
                TableName: tableName,
                Key: { [hashKey]: item[hashKey]! },
                UpdateExpression: "SET #s = :s, #l = :l",
                ConditionExpression: "attribute_exists(#k) AND attribute_not_exists(#l)",
                ExpressionAttributeNames: { "#k": names["#k"], "#s": names["#s"], "#l": names["#l"] },
                ExpressionAttributeValues: { ":s": upgraded[ITEM_ATTRIBUTES.listShard]!, ":l": upgraded[ITEM_ATTRIBUTES.listKey]! },
              }),
            );
            result.updated += 1;
          } catch (error) {
            // Deleted meanwhile, or already given its keys: nothing to do.
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
        }
      }),
    );
    start = page.LastEvaluatedKey;
    log?.(`scanned ${result.scanned} item(s), gave ${result.updated} the list keys${start ? ", continuing..." : ""}`);
  } while (start);
  return result;
}
