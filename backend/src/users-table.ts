import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { ENV } from "./contract.js";
import { dynamoDbClient } from "./dynamodb-client.js";
import type { NewUser } from "./user-schema.js";

/**
 * All DynamoDB access, and the only module that knows the table's attribute names. Items keep
 * the blog's layout: {<key attribute>: id, Name, Email, CreatedAt (RFC 3339 UTC)}. Reads project
 * the public attributes only, so an email never even leaves the table on a read.
 */

/** What anonymous callers may see of a user. */
export interface PublicUser {
  userId: string;
  name: string;
  createdAt: string;
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
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH",
  "ENETUNREACH", "ECONNABORTED",
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

export class UsersTable {
  private readonly names: Record<string, string>;
  private readonly projection = "#k, #n, #c";

  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    readonly keyAttribute: string,
  ) {
    // "Name" is a DynamoDB reserved word; placeholders for all three keep expressions uniform.
    this.names = { "#k": keyAttribute, "#n": "Name", "#c": "CreatedAt" };
  }

  /** Creates the user only if the id is free (atomic: no read-then-write race). */
  async create(user: NewUser, { signal }: CallOptions = {}, now = new Date()): Promise<PublicUser> {
    const createdAt = now.toISOString();
    try {
      await send(() =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              [this.keyAttribute]: { S: user.userId },
              Name: { S: user.name },
              Email: { S: user.email },
              CreatedAt: { S: createdAt },
            },
            ConditionExpression: "attribute_not_exists(#k)",
            ExpressionAttributeNames: { "#k": this.keyAttribute },
          }),
          { abortSignal: signal },
        ),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new UserExistsError(`user ${user.userId} exists`);
      }
      throw error;
    }
    return { userId: user.userId, name: user.name, createdAt };
  }

  async get(userId: string, { signal }: CallOptions = {}): Promise<PublicUser | undefined> {
    const { Item } = await send(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [this.keyAttribute]: { S: userId } },
          ProjectionExpression: this.projection,
          ExpressionAttributeNames: this.names,
          // A client following the Location of a 201 must find the user at once.
          ConsistentRead: true,
        }),
        { abortSignal: signal },
      ),
    );
    return Item ? this.toPublicUser(Item) : undefined;
  }

  /** One page in the table's own (unsorted) order; `lastUserId` is set when more may follow. */
  async list(limit: number, afterUserId: string | undefined, { signal }: CallOptions = {}): Promise<{ items: PublicUser[]; lastUserId?: string }> {
    const page = await send(() =>
      this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          Limit: limit,
          ExclusiveStartKey: afterUserId ? { [this.keyAttribute]: { S: afterUserId } } : undefined,
          ProjectionExpression: this.projection,
          ExpressionAttributeNames: this.names,
        }),
        { abortSignal: signal },
      ),
    );
    const lastUserId = page.LastEvaluatedKey?.[this.keyAttribute]?.S;
    return { items: (page.Items ?? []).map((item) => this.toPublicUser(item)), lastUserId };
  }

  private toPublicUser(item: Record<string, AttributeValue>): PublicUser {
    return {
      userId: item[this.keyAttribute]?.S ?? "",
      name: item.Name?.S ?? "",
      createdAt: item.CreatedAt?.S ?? "",
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
