import { createHash, randomUUID } from "node:crypto";
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { ENV } from "./contract.js";
import { dynamoDbClient } from "./dynamodb-client.js";
import { ITEM_ATTRIBUTES, LIST_INDEX, LIST_SHARDS, listKeyOf, listShardOf } from "./table-definition.js";
import type { NewUser } from "./user-schema.js";

/**
 * All DynamoDB access. Items keep the blog's layout, {<key attribute>: id, Name, Email, CreatedAt
 * (RFC 3339 UTC)}, plus the list index's keys and the create token (table-definition.ts names
 * them). Reads project the public attributes only, so an email never even leaves the table on a
 * read. docs/data-model.md describes the design.
 */

/** What anonymous callers may see of a user. */
export interface PublicUser {
  userId: string;
  name: string;
  createdAt: string;
}

/** What only the user themself may see: their record with its e-mail (GET /users/me). */
export interface OwnUser extends PublicUser {
  email: string;
}

/** A create lost to an existing item with the same id (the conditional write refused it). */
export class UserExistsError extends Error {
  override name = "UserExistsError";
}

/** DynamoDB throttled, failed on its side, or could not be reached in time; safe to retry. */
export class TableUnavailableError extends Error {
  override name = "TableUnavailableError";
}

/** The function's environment lacks the table settings the app stack sets. */
export class TableConfigError extends Error {
  override name = "TableConfigError";
}

const THROTTLING_ERRORS = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "LimitExceededException",
]);
const NETWORK_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);

/** Throttling, a 5xx from DynamoDB, or no answer at all: the request may succeed later. */
function isTransient(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  // AbortError: the handler's deadline (the function's remaining time) ran out first.
  if (THROTTLING_ERRORS.has(e.name ?? "") || e.name === "TimeoutError" || e.name === "AbortError") return true;
  if (NETWORK_ERROR_CODES.has(e.code ?? "")) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

async function send<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw error;
    if (isTransient(error)) throw new TableUnavailableError("DynamoDB unavailable", { cause: error });
    throw error;
  }
}

/** Per-call options: `signal` aborts the call when the function is about to run out of time. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface CreateOptions extends CallOptions {
  /**
   * The client's Idempotency-Key, or undefined for a key of this request alone (which still
   * recognises the SDK's own retry of this request's write).
   */
  idempotencyKey?: string;
}

/** A create's outcome: the stored user, and whether an earlier identical create had stored it. */
export interface Created extends PublicUser {
  replayed: boolean;
}

export interface UserPage {
  items: PublicUser[];
  /** The list key of the last item when at least one more user follows it. */
  lastListKey?: string;
  /** Items DynamoDB read for this page (what the read capacity is billed on). */
  itemsRead: number;
}

const A = ITEM_ATTRIBUTES;

/**
 * The token a create stores on its item: SHA-256 over the idempotency key and the body as stored.
 * A retry of the same create (same key, same body) finds its own token on the item it lost the
 * condition to; any other create finds another token and is told the user exists.
 */
export function createToken(idempotencyKey: string, user: NewUser): string {
  return createHash("sha256")
    .update(JSON.stringify([idempotencyKey, user.userId, user.name, user.email]))
    .digest("base64url");
}

export class UsersTable {
  private readonly names: Record<string, string>;
  private readonly projection = "#k, #n, #c";

  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    readonly keyAttribute: string,
  ) {
    // "Name" is a DynamoDB reserved word; placeholders for all of them keep expressions uniform.
    this.names = { "#k": keyAttribute, "#n": A.name, "#c": A.createdAt };
  }

  /**
   * Creates the user only if the id is free (atomic: no read-then-write race). A refusal whose
   * stored item carries this create's own token is the same create retried after its answer was
   * lost (the SDK's retry after a timeout, or the client's, with the same Idempotency-Key): it
   * answers as the first attempt would have, with the stored item.
   */
  async create(user: NewUser, { signal, idempotencyKey }: CreateOptions = {}, now = new Date()): Promise<Created> {
    const createdAt = now.toISOString();
    const token = createToken(idempotencyKey ?? randomUUID(), user);
    try {
      await send(() =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              [this.keyAttribute]: { S: user.userId },
              [A.name]: { S: user.name },
              [A.email]: { S: user.email },
              [A.createdAt]: { S: createdAt },
              [A.listShard]: { S: listShardOf(user.userId) },
              [A.listKey]: { S: listKeyOf(createdAt, user.userId) },
              [A.createToken]: { S: token },
            },
            ConditionExpression: "attribute_not_exists(#k)",
            ExpressionAttributeNames: { "#k": this.keyAttribute },
            // The refusal carries the existing item, so recognising a retry costs no second read.
            // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
          { abortSignal: signal },
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Endpoints without ReturnValuesOnConditionCheckFailure (dynalite) return no item: read it.
      const existing = error.Item ?? (await this.getItem(user.userId, signal));
      if (existing?.[A.createToken]?.S === token) return { ...this.toPublicUser(existing), replayed: true };
      throw new UserExistsError(`user ${user.userId} exists`);
    }
    return { userId: user.userId, name: user.name, createdAt, replayed: false };
  }

  async get(userId: string, { signal }: CallOptions = {}): Promise<PublicUser | undefined> {
    const item = await this.getItem(userId, signal, this.projection);
    return item ? this.toPublicUser(item) : undefined;
  }

  /** The user's own record, e-mail included: only for the signed-in owner (GET /users/me). */
  async getOwn(userId: string, { signal }: CallOptions = {}): Promise<OwnUser | undefined> {
    const item = await this.getItem(userId, signal, `${this.projection}, #e`, { "#e": A.email });
    return item ? { ...this.toPublicUser(item), email: item[A.email]?.S ?? "" } : undefined;
  }

  private async getItem(
    userId: string,
    signal: AbortSignal | undefined,
    projection?: string,
    /** Placeholders beyond the public ones (DynamoDB refuses a name the expression does not use). */
    extraNames: Record<string, string> = {},
  ): Promise<Record<string, AttributeValue> | undefined> {
    const { Item } = await send(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [this.keyAttribute]: { S: userId } },
          ProjectionExpression: projection,
          ExpressionAttributeNames: projection ? { ...this.names, ...extraNames } : undefined,
          // A client following the Location of a 201 must find the user at once.
          ConsistentRead: true,
        }),
        { abortSignal: signal },
      ),
    );
    return Item;
  }

  /**
   * One page, newest first: the users whose list key sorts before `beforeListKey` (all when
   * undefined), merged from the LIST_SHARDS shards of the list index. Each shard is read lazily,
   * newest first: first an even share of the page from every shard in parallel, then more only from
   * a shard whose buffered items ran out while it may still hold newer ones than the others. One
   * item beyond the page is looked for, so `lastListKey` is set only when a next page has items.
   */
  async list(limit: number, beforeListKey: string | undefined, { signal }: CallOptions = {}): Promise<UserPage> {
    const wanted = limit + 1;
    let itemsRead = 0;
    const shards = Array.from({ length: LIST_SHARDS }, (_, shard) => ({
      shard: String(shard),
      buffer: [] as Record<string, AttributeValue>[],
      next: undefined as Record<string, AttributeValue> | undefined,
      done: false,
    }));
    type Shard = (typeof shards)[number];
    const read = async (s: Shard, count: number) => {
      const page = await send(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: LIST_INDEX,
            KeyConditionExpression: beforeListKey === undefined ? "#s = :s" : "#s = :s AND #l < :before",
            ExpressionAttributeNames: { ...this.names, "#s": A.listShard, "#l": A.listKey },
            ExpressionAttributeValues: {
              ":s": { S: s.shard },
              ...(beforeListKey === undefined ? {} : { ":before": { S: beforeListKey } }),
            },
            ScanIndexForward: false,
            Limit: count,
            ExclusiveStartKey: s.next,
            ProjectionExpression: `${this.projection}, #l`,
          }),
          { abortSignal: signal },
        ),
      );
      itemsRead += page.ScannedCount ?? page.Items?.length ?? 0;
      s.buffer.push(...(page.Items ?? []));
      s.next = page.LastEvaluatedKey;
      s.done = s.next === undefined;
    };
    const listKey = (item: Record<string, AttributeValue>) => item[A.listKey]?.S ?? "";

    await Promise.all(shards.map((s) => read(s, Math.ceil(wanted / LIST_SHARDS))));
    const merged: Record<string, AttributeValue>[] = [];
    while (merged.length < wanted) {
      const drained = shards.filter((s) => s.buffer.length === 0 && !s.done);
      if (drained.length > 0) {
        const missing = wanted - merged.length;
        await Promise.all(drained.map((s) => read(s, missing)));
        continue;
      }
      let newest: Shard | undefined;
      for (const s of shards) {
        if (s.buffer.length > 0 && (!newest || listKey(s.buffer[0]!) > listKey(newest.buffer[0]!))) newest = s;
      }
      if (!newest) break;
      merged.push(newest.buffer.shift()!);
    }
    const page = merged.slice(0, limit);
    return {
      items: page.map((item) => this.toPublicUser(item)),
      lastListKey: merged.length > limit ? listKey(page[page.length - 1]!) : undefined,
      itemsRead,
    };
  }

  private toPublicUser(item: Record<string, AttributeValue>): PublicUser {
    return {
      userId: item[this.keyAttribute]?.S ?? "",
      name: item[A.name]?.S ?? "",
      createdAt: item[A.createdAt]?.S ?? "",
    };
  }
}

let usersTable: UsersTable | undefined;

/** The container's table, from TABLE_NAME and TABLE_KEY_ATTRIBUTE (set by the app stack). */
export function usersTableFromEnv(env: NodeJS.ProcessEnv = process.env): UsersTable {
  if (usersTable) return usersTable;
  const tableName = env[ENV.tableName];
  const keyAttribute = env[ENV.tableKeyAttribute];
  if (!tableName || !keyAttribute) {
    throw new TableConfigError(`${ENV.tableName} and ${ENV.tableKeyAttribute} must be set`);
  }
  usersTable = new UsersTable(dynamoDbClient(), tableName, keyAttribute);
  return usersTable;
}
