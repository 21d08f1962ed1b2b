/**
 * The local API server in front of a test handler that records every event it gets and answers
 * whatever the test asks for: for the gateway behaviour that does not depend on the backend.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type ApiServer, startApiServer } from "../../../scripts/local/api-server.js";

export const WEB_ORIGIN = "http://127.0.0.1:5173";
export const TEST_ROUTE_KEYS = ["POST /users", "GET /users/{userId}", "GET /users", "GET /health"];

export interface RecordingApi {
  server: ApiServer;
  url: string;
  events: APIGatewayProxyEventV2[];
  /** What the handler returns (or throws) for the next requests. */
  respond(result: unknown | ((event: APIGatewayProxyEventV2) => unknown)): void;
  logLines: string[];
}

export async function startRecordingApi(): Promise<RecordingApi> {
  const events: APIGatewayProxyEventV2[] = [];
  const logLines: string[] = [];
  let reply: unknown | ((event: APIGatewayProxyEventV2) => unknown) = { statusCode: 200, body: "ok" };
  const server = await startApiServer({
    getHandler: () => async (event) => {
      events.push(event);
      return typeof reply === "function" ? (reply as (e: APIGatewayProxyEventV2) => unknown)(event) : reply;
    },
    routeKeys: TEST_ROUTE_KEYS,
    cors: { allowOrigins: [WEB_ORIGIN], allowMethods: ["POST", "GET", "OPTIONS"], allowHeaders: ["content-type"], maxAge: 3600 },
    function: { timeoutSeconds: 1 },
    log: (line) => logLines.push(line),
  });
  return { server, url: server.url, events, respond: (r) => (reply = r), logLines };
}

/**
 * One recording API for the calling test file, cleared before each test (no events, a plain
 * 200 answer). The returned object is filled in by beforeAll, so read it inside tests only.
 */
export function useRecordingApi(): RecordingApi {
  const api = {} as RecordingApi;
  beforeAll(async () => {
    Object.assign(api, await startRecordingApi());
  });
  afterAll(() => api.server.close());
  beforeEach(() => {
    api.events.length = 0;
    api.respond({ statusCode: 200, body: "ok" });
  });
  return api;
}
