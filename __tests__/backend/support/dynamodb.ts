import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { ENV } from "../../../backend/src/contract.js";
import { createTableInput, usersTableShape } from "../../../backend/src/table-definition.js";

/** The blog's key attribute, as the app stack declares it. */
export const TEST_KEY_ATTRIBUTE = "UserId";

/** Dummy credentials and region: the SDK signs requests, dynalite does not check them. */
export function setDummyAwsEnv(endpoint: string, tableName: string): void {
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_ACCESS_KEY_ID = "test";
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  // Lambda runs Node 22; the SDK's notice about this machine's Node 20 is noise in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  process.env[ENV.tableName] = tableName;
  process.env[ENV.tableKeyAttribute] = TEST_KEY_ATTRIBUTE;
}

export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Stops a server at once, cutting kept-alive SDK connections (close() alone waits for them). */
export function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface TestTable {
  endpoint: string;
  tableName: string;
  server: Server;
  /** A separate client, for the tests' own look at the table (never the handler's client). */
  admin: DynamoDBClient;
  /** Every item in the table, raw. */
  items(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/**
 * An in-process dynalite on a free port with the users table created from the same definition
 * the stack uses, and the environment pointed at it, as `npm run dev` does.
 */
export async function startTestTable(tableName = "users-test"): Promise<TestTable> {
  const server = dynalite({ createTableMs: 0 });
  const endpoint = await listen(server);
  setDummyAwsEnv(endpoint, tableName);
  const admin = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  await admin.send(new CreateTableCommand(createTableInput(tableName, usersTableShape(TEST_KEY_ATTRIBUTE))));
  return {
    endpoint,
    tableName,
    server,
    admin,
    async items() {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, never> | undefined;
      do {
        const page = await admin.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
        out.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey as typeof start;
      } while (start);
      return out;
    },
    async stop() {
      admin.destroy();
      if (server.listening) await stop(server);
    },
  };
}
