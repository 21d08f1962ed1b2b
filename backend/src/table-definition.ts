import type { AttributeValue, CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The users table's shape, defined once. The app stack builds the deployed table from
 * `usersTableShape`, and `npm run dev` and the tests create theirs with `createTableInput` of the
 * same shape, so the local table can never differ from the one the deployed function meets.
 * No runtime dependency (type-only import): the app stack and the web build may import it.
 * docs/data-model.md explains the design and its limits.
 */

export type KeyType = "S" | "N" | "B";

export interface IndexShape {
  name: string;
  hashKey: string;
  rangeKey?: string;
  projectionType: "ALL" | "KEYS_ONLY" | "INCLUDE";
  /** Only with INCLUDE: the non-key attributes copied into the index. */
  nonKeyAttributes?: string[];
}

export interface TableShape {
  hashKey: string;
  rangeKey?: string;
  /** Every key attribute of the table and its indexes (DynamoDB defines no others). */
  attributes: { name: string; type: KeyType }[];
  globalSecondaryIndexes: IndexShape[];
}

/** The item's attribute names besides the configurable hash key (the blog's "UserId"). */
export const ITEM_ATTRIBUTES = {
  name: "Name",
  email: "Email",
  /** RFC 3339 UTC with milliseconds, e.g. 2026-01-02T03:04:05.678Z. */
  createdAt: "CreatedAt",
  /** Which of the LIST_SHARDS partitions of the list index the item is in ("0".."3"). */
  listShard: "ListShard",
  /** `<CreatedAt>#<userId>`: the list index's sort key, unique because the userId is. */
  listKey: "ListKey",
  /** SHA-256 of the create's idempotency token and body: recognises a retry of the same create. */
  createToken: "CreateToken",
} as const;

/** Names the hash key may not take: the backend writes these attributes itself. */
export const RESERVED_ATTRIBUTE_NAMES: readonly string[] = Object.values(ITEM_ATTRIBUTES);

/** The global secondary index GET /users reads, newest first. */
export const LIST_INDEX = "NewestFirst";

/**
 * Write shards of the list index. Each index partition key value takes at most 1,000 WCU/s, and
 * every create writes one index item of < 1 KB (1 WCU), so 4 shards carry ~4,000 creates/s. A page
 * reads about `limit` items whatever the count (see users-table.ts). Changing it re-shards: every
 * item's ListShard must be rewritten (docs/data-model.md).
 */
export const LIST_SHARDS = 4;

/** The shard of a user id: FNV-1a (32-bit) of its UTF-16 units, modulo LIST_SHARDS. Stable forever. */
export function listShardOf(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % LIST_SHARDS);
}

/** The list index's sort key of an item. */
export function listKeyOf(createdAt: string, userId: string): string {
  return `${createdAt}#${userId}`;
}

/**
 * An item as the current create path writes it: items stored before the list index existed lack
 * its keys (so the index, which is sparse, leaves them out) and get them from their own CreatedAt.
 * Undefined when the item already has them or cannot be placed (no id or no CreatedAt).
 */
export function withListKeys(item: Record<string, AttributeValue>, hashKey: string): Record<string, AttributeValue> | undefined {
  const userId = item[hashKey]?.S;
  const createdAt = item[ITEM_ATTRIBUTES.createdAt]?.S;
  if (item[ITEM_ATTRIBUTES.listKey] || !userId || !createdAt) return undefined;
  return {
    ...item,
    [ITEM_ATTRIBUTES.listShard]: { S: listShardOf(userId) },
    [ITEM_ATTRIBUTES.listKey]: { S: listKeyOf(createdAt, userId) },
  };
}

/** The users table for a given hash key attribute name (the config's `table_hash_key`). */
export function usersTableShape(hashKey: string): TableShape {
  return {
    hashKey,
    attributes: [
      { name: hashKey, type: "S" },
      { name: ITEM_ATTRIBUTES.listShard, type: "S" },
      { name: ITEM_ATTRIBUTES.listKey, type: "S" },
    ],
    globalSecondaryIndexes: [
      {
        name: LIST_INDEX,
        hashKey: ITEM_ATTRIBUTES.listShard,
        rangeKey: ITEM_ATTRIBUTES.listKey,
        // What a list item shows, never the email: the index holds no more than the API returns.
        projectionType: "INCLUDE",
        nonKeyAttributes: [ITEM_ATTRIBUTES.name, ITEM_ATTRIBUTES.createdAt],
      },
    ],
  };
}

/** The CreateTable request for a shape: on demand, like the app stack's table. */
export function createTableInput(tableName: string, shape: TableShape): CreateTableCommandInput {
  const keySchema = (hash: string, range?: string) => [
    { AttributeName: hash, KeyType: "HASH" as const },
    ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: shape.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: keySchema(shape.hashKey, shape.rangeKey),
    GlobalSecondaryIndexes: shape.globalSecondaryIndexes.length
      ? shape.globalSecondaryIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.hashKey, index.rangeKey),
          Projection: { ProjectionType: index.projectionType, NonKeyAttributes: index.nonKeyAttributes },
        }))
      : undefined,
  };
}
