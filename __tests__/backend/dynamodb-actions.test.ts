import { afterAll, beforeAll, expect, test } from "vitest";
import { DYNAMODB_ACTIONS } from "../../backend/src/contract.js";
import { dynamoDbClient } from "../../backend/src/dynamodb-client.js";
import { ROUTE_KEYS } from "../../backend/src/routes.js";
import { startTestTable, type TestTable } from "./support/dynamodb.js";
import { cognitoClaims, jsonRequest, type RequestSpec } from "./support/events.js";
import { invoke } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

/**
 * Holds DYNAMODB_ACTIONS (what the IAM policy grants) to the code: every route is exercised,
 * success and failure paths, through the handler's own SDK client, and the commands that
 * client really sent must be exactly the granted actions — no more (AccessDenied in AWS), no
 * fewer (a needless grant).
 */

let table: TestTable;
let logs: ReturnType<typeof captureRequestLogs>;
const sent = new Set<string>();

beforeAll(async () => {
  table = await startTestTable("actions");
  logs = captureRequestLogs();
  dynamoDbClient().middlewareStack.add(
    (next, context) => (args) => {
      sent.add(`dynamodb:${(context.commandName ?? "").replace(/Command$/, "")}`);
      return next(args);
    },
    { step: "initialize", name: "recordDynamoDbActions" },
  );
});
afterAll(async () => {
  logs.restore();
  await table.stop();
});

const user = { userId: "granted", name: "Granted", email: "granted@example.com" };
const exercise: Record<string, RequestSpec[]> = {
  "POST /users": [jsonRequest("POST", "/users", user), jsonRequest("POST", "/users", user)],
  "GET /users/{userId}": [jsonRequest("GET", "/users/granted"), jsonRequest("GET", "/users/missing")],
  // Signed in (the gateway's verified claims): the caller's own record, then one that has none.
  "GET /users/me": [
    { ...jsonRequest("POST", "/users", { name: "Own", email: "own@example.com" }), jwt: { claims: cognitoClaims("owner-sub") } },
    { ...jsonRequest("GET", "/users/me"), jwt: { claims: cognitoClaims("owner-sub") } },
    { ...jsonRequest("GET", "/users/me"), jwt: { claims: cognitoClaims("nobody-sub") } },
  ],
  "GET /users": [jsonRequest("GET", "/users?limit=1"), jsonRequest("GET", "/users")],
  "GET /health": [jsonRequest("GET", "/health")],
};

test("the exercise covers every declared route", () => {
  expect(Object.keys(exercise).sort()).toEqual([...ROUTE_KEYS].sort());
});

test("the DynamoDB actions the routes send are exactly DYNAMODB_ACTIONS", async () => {
  const statuses: number[] = [];
  for (const specs of Object.values(exercise)) {
    for (const spec of specs) statuses.push((await invoke(spec)).status);
  }
  expect(statuses).toEqual([201, 409, 200, 404, 201, 200, 404, 200, 200, 200]);
  expect([...sent].sort()).toEqual([...DYNAMODB_ACTIONS].sort());
});
