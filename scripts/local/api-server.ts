/**
 * The local stand-in for the HTTP API: an HTTP server that behaves like the gateway the app
 * stack declares (routes, CORS, quotas, payload 2.0 events, response mapping) in front of the
 * Lambda handler, which runs in this process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { type CorsConfig, isPreflight, preflightHeaders, responseCorsHeaders, withoutCorsHeaders } from "./cors.js";
import { buildHttpApiEvent, newRequestId } from "./http-api-event.js";
import type { JwtAuthorizer } from "./jwt-authorizer.js";
import { type FunctionSettings, lambdaContext } from "./lambda-context.js";
import { gatewayAnswer, type HttpAnswer, INTERNAL_SERVER_ERROR, mapLambdaResult } from "./lambda-response.js";
import { MAX_BODY_BYTES, MAX_REQUEST_HEAD_BYTES, requestHeadBytes } from "./limits.js";
import { closeServer, listen } from "./listen.js";
import { compileRoutes } from "./route-match.js";

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface ApiServerOptions {
  /** Returns the current handler; called per request so a reload takes effect at once. */
  getHandler: () => LambdaHandler | Promise<LambdaHandler>;
  /** The declared route keys (backend/src/routes.ts ROUTE_KEYS). */
  routeKeys: readonly string[];
  cors: CorsConfig;
  /** @default 0 (a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Function name, memory, timeout and region for the Lambda context. @default the config defaults */
  function?: FunctionSettings;
  /** One line per request. @default no logging */
  log?: (line: string) => void;
  /**
   * The JWT authorizer and the routes it guards (route key -> scopes, [] for none): a guarded
   * route's request reaches the function only with a token that passes, as on API Gateway.
   * @default no authorizer (config auth "none")
   */
  jwt?: { authorize: JwtAuthorizer; routes: ReadonlyMap<string, readonly string[]> };
}

export interface ApiServer {
  /** e.g. "http://127.0.0.1:3001" (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const match = compileRoutes(options.routeKeys);
  const log = options.log ?? (() => {});
  const timeoutMs = (options.function?.timeoutSeconds ?? 5) * 1000;

  async function answer(
    req: IncomingMessage,
    body: Buffer | "too-large",
    requestId: string,
    receivedAt: Date,
  ): Promise<[HttpAnswer, string]> {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    if (requestHeadBytes(method, url, req.httpVersion, req.rawHeaders) > MAX_REQUEST_HEAD_BYTES) {
      return [gatewayAnswer(431, "Request Header Fields Too Large"), "head too large"];
    }
    if (body === "too-large") return [gatewayAnswer(413, "Request Entity Too Large"), "body too large"];
    const origin = req.headers.origin;
    if (isPreflight(method, req.headers)) {
      return [{ statusCode: 204, headers: preflightHeaders(options.cors, origin), body: Buffer.alloc(0) }, "preflight"];
    }
    const path = url.split("?")[0]!;
    const route = match(method, path);
    if (!route) return [gatewayAnswer(404, "Not Found"), "no route"];

    const guard = options.jwt?.routes.get(route.routeKey);
    let authorizer: { jwt: { claims: Record<string, string>; scopes: string[] | null } } | undefined;
    if (guard && options.jwt) {
      const verdict = await options.jwt.authorize(req.headers.authorization, guard);
      if (!verdict.ok) {
        // The gateway's own answer: the function is never invoked.
        const refused = gatewayAnswer(verdict.statusCode, verdict.message);
        return [
          { ...refused, headers: [...refused.headers, ["www-authenticate", verdict.wwwAuthenticate]] },
          `${route.routeKey} (authorizer)`,
        ];
      }
      authorizer = { jwt: { claims: verdict.claims, scopes: verdict.scopes } };
    }
    const event = buildHttpApiEvent(
      { method, url, rawHeaders: req.rawHeaders, body, sourceIp: clientIp(req), httpVersion: req.httpVersion },
      route,
      { requestId, receivedAt, authorizer },
    );
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      const handler = await options.getHandler();
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`function timed out after ${timeoutMs / 1000} s`)), timeoutMs);
      });
      const result = await Promise.race([handler(event, lambdaContext(options.function ?? {}, deadline)), timedOut]);
      const mapped = mapLambdaResult(result);
      return [{ ...mapped, headers: withoutCorsHeaders(mapped.headers) }, route.routeKey];
    } catch (e) {
      // As on AWS: the caller sees the gateway's 500, the error goes to the function's log.
      log(`  function error: ${(e as Error)?.stack ?? String(e)}`);
      return [INTERNAL_SERVER_ERROR(), route.routeKey];
    } finally {
      clearTimeout(timer);
    }
  }

  const server: Server = createServer({ maxHeaderSize: 64 * 1024 }, (req: IncomingMessage, res: ServerResponse) => {
    const receivedAt = new Date();
    const requestId = newRequestId();
    readBody(req, (body) => {
      answer(req, body, requestId, receivedAt)
        .then(([result, note]) => {
          // A preflight answer carries its own CORS headers.
          const cors = note === "preflight" ? [] : responseCorsHeaders(options.cors, req.headers.origin);
          const headers = [...result.headers, ...cors, ["apigw-requestid", requestId] as [string, string]];
          if (body === "too-large") headers.push(["connection", "close"]);
          res.writeHead(result.statusCode, headers.flat());
          res.end(result.body);
          log(`${req.method} ${req.url} ${result.statusCode} ${Date.now() - receivedAt.getTime()}ms ${note}`);
        })
        .catch((e: unknown) => {
          log(`${req.method} ${req.url} failed: ${(e as Error).message}`);
          if (!res.headersSent) res.writeHead(500).end();
        });
    });
  });

  const port = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1", "API");
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

/** Reads the body, or reports it too large once it passes the quota (the rest is drained). */
function readBody(req: IncomingMessage, done: (body: Buffer | "too-large") => void): void {
  const declared = Number(req.headers["content-length"] ?? 0);
  const chunks: Buffer[] = [];
  let bytes = 0;
  let tooLarge = declared > MAX_BODY_BYTES;
  req.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_BODY_BYTES) tooLarge = true;
    if (tooLarge) {
      chunks.length = 0;
      // Drain a little so the client can read the 413; stop a runaway upload outright.
      if (bytes > 2 * MAX_BODY_BYTES) req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => done(tooLarge ? "too-large" : Buffer.concat(chunks)));
  req.on("error", () => {});
}

function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
