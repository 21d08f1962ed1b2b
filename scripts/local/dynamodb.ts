/**
 * The embedded DynamoDB of `npm run dev` and the tests: dynalite on a free local port, kept in
 * memory or persisted in a LevelDB folder, with the app's table created from the backend's
 * definition.
 */
import { mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import type { Server } from "node:http";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
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

/** Creates the table unless it exists (a persisted store keeps it between runs). */
export async function ensureTable(endpoint: string, input: CreateTableCommandInput): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  try {
    try {
      await client.send(new CreateTableCommand(input));
    } catch (e) {
      if ((e as Error).name !== "ResourceInUseException") throw e;
    }
    // Wait for ACTIVE: with createTableMs 0 this is one call.
    for (let i = 0; i < 50; i++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
      if (Table?.TableStatus === "ACTIVE") break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    client.destroy();
  }
}
