/**
 * The embedded DynamoDB of `npm run dev` and the tests: dynalite on a free local port, kept in
 * memory or persisted in a LevelDB folder, with the app's table created from the backend's
 * definition.
 */
import { mkdirSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { LocalStackError } from "./errors.js";
import { closeServer, listen } from "./listen.js";

/** Dummy credentials and region: dynalite accepts any signature, the SDK insists on having one. */
export const LOCAL_AWS_ENV = {
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_REGION: "us-east-1",
} as const;

/** dynalite 4 (CommonJS, untyped): an HTTP server speaking the DynamoDB API, not yet listening. */
type Dynalite = (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
const requireFromHere = createRequire(import.meta.url);

export interface LocalDynamoDb {
  /** e.g. "http://127.0.0.1:41234", for AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  /** Stops the server and closes the store (flushed to disk when persisted). */
  close(): Promise<void>;
}

export interface LocalDynamoDbOptions {
  /** LevelDB folder; created when missing. @default undefined (in memory) */
  dataDir?: string;
}

export async function startDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  if (options.dataDir) await checkDataDir(options.dataDir);
  // createTableMs 0: tables are ACTIVE at once instead of after dynalite's simulated 500 ms.
  const dynalite = requireFromHere("dynalite") as Dynalite;
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, 0, "127.0.0.1", "DynamoDB");
  return { endpoint: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/**
 * Opens and closes the store once before dynalite does: dynalite opens it lazily and a store
 * that cannot open (locked by another `npm run dev`, not a folder, corrupt) crashes the process
 * on the first request instead of failing with a message.
 */
async function checkDataDir(dataDir: string): Promise<void> {
  const stat = statSync(dataDir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new LocalStackError(`data folder ${dataDir} is not a folder; remove it or use --in-memory`);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    throw new LocalStackError(`cannot create data folder ${dataDir}: ${(e as Error).message}`);
  }
  // The LevelDB binding dynalite itself uses, resolved from dynalite's own dependencies.
  const { Level } = createRequire(requireFromHere.resolve("dynalite"))("level") as {
    Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> };
  };
  const store = new Level(dataDir);
  try {
    await store.open();
  } catch (e) {
    const cause = (e as { cause?: Error }).cause?.message ?? (e as Error).message;
    const hint = /lock/i.test(cause) ? "is another `npm run dev` using it?" : "remove it to start afresh, or use --in-memory";
    throw new LocalStackError(`data folder ${dataDir} cannot be opened (${cause.split("\n")[0]}): ${hint}`);
  }
  await store.close();
}

/** What makes two tables the same shape: keys, key attribute types and indexes. */
function shapeOf(table: {
  KeySchema?: { AttributeName?: string; KeyType?: string }[];
  AttributeDefinitions?: { AttributeName?: string; AttributeType?: string }[];
  GlobalSecondaryIndexes?: {
    IndexName?: string;
    KeySchema?: { AttributeName?: string; KeyType?: string }[];
    Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  }[];
}): string {
  const keys = (k: { AttributeName?: string; KeyType?: string }[] = []) => k.map((e) => `${e.KeyType}:${e.AttributeName}`).join(",");
  return JSON.stringify({
    keys: keys(table.KeySchema),
    attributes: (table.AttributeDefinitions ?? []).map((a) => `${a.AttributeName}:${a.AttributeType}`).sort(),
    indexes: (table.GlobalSecondaryIndexes ?? [])
      .map(
        (i) => `${i.IndexName}(${keys(i.KeySchema)}) ${i.Projection?.ProjectionType} ${[...(i.Projection?.NonKeyAttributes ?? [])].sort()}`,
      )
      .sort(),
  });
}

export interface EnsureTableResult {
  /** When a persisted table of an older shape was rebuilt: how many items it kept. */
  upgradedItems?: number;
}

/**
 * Creates the table unless it exists (a persisted store keeps it between runs). A persisted table
 * of an older shape (say, from before the list index) is rebuilt in the current shape with its
 * items, each passed through `upgradeItem` (which adds what the current code writes), since
 * dynalite cannot add an index to a table. A different hash key is refused: the items cannot follow.
 */
export async function ensureTable(
  endpoint: string,
  input: CreateTableCommandInput,
  upgradeItem: (item: Record<string, AttributeValue>) => Record<string, AttributeValue> | undefined = () => undefined,
): Promise<EnsureTableResult> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  const result: EnsureTableResult = {};
  try {
    try {
      await client.send(new CreateTableCommand(input));
    } catch (e) {
      if ((e as Error).name !== "ResourceInUseException") throw e;
      const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
      if (Table && shapeOf(Table) !== shapeOf(input)) result.upgradedItems = await rebuild(client, input, Table.KeySchema, upgradeItem);
    }
    await waitForActive(client, input.TableName!);
  } finally {
    client.destroy();
  }
  return result;
}

async function waitForActive(client: DynamoDBClient, tableName: string): Promise<void> {
  // With createTableMs 0 this is one call.
  for (let i = 0; i < 50; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A deleted table stays DELETING until the deletion completes, and creating one of the same name
 * meanwhile is a ResourceInUseException (dynalite's deletion is asynchronous too, even with
 * deleteTableMs 0). https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
 */
async function waitForGone(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (e) {
      if ((e as Error).name === "ResourceNotFoundException") return;
      throw e;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new LocalStackError(`the table ${tableName} was still being deleted after 5 s`);
}

async function rebuild(
  client: DynamoDBClient,
  input: CreateTableCommandInput,
  oldKeys: { AttributeName?: string; KeyType?: string }[] | undefined,
  upgradeItem: (item: Record<string, AttributeValue>) => Record<string, AttributeValue> | undefined,
): Promise<number> {
  const hashOf = (keys?: { AttributeName?: string; KeyType?: string }[]) => keys?.find((k) => k.KeyType === "HASH")?.AttributeName;
  if (hashOf(oldKeys) !== hashOf(input.KeySchema)) {
    throw new LocalStackError(
      `the persisted table ${input.TableName} is keyed by "${hashOf(oldKeys)}", the config by "${hashOf(input.KeySchema)}": ` +
        "remove the data folder to start afresh, or use --in-memory",
    );
  }
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: input.TableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  await client.send(new DeleteTableCommand({ TableName: input.TableName }));
  await waitForGone(client, input.TableName!);
  await client.send(new CreateTableCommand(input));
  await waitForActive(client, input.TableName!);
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: upgradeItem(item) ?? item } }));
    let unprocessed: Record<string, WriteRequest[]> | undefined = { [input.TableName!]: batch };
    while (unprocessed && Object.keys(unprocessed).length > 0) {
      ({ UnprocessedItems: unprocessed } = await client.send(new BatchWriteItemCommand({ RequestItems: unprocessed })));
    }
  }
  return items.length;
}
