/**
 * Builds the API Gateway HTTP API payload format 2.0 event for a request, filled the way the
 * gateway fills it: lower-case headers with duplicates comma-joined, cookies moved out of the
 * headers into `cookies`, decoded query and path parameters (absent when empty), epoch
 * milliseconds, and a base64 body unless the content type is one the gateway passes as text.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { RouteMatch } from "./route-match.js";

/** The stand-in account and API id of local events (not a real account). */
export const LOCAL_ACCOUNT_ID = "000000000000";
export const LOCAL_API_ID = "local";

export interface IncomingRequest {
  method: string;
  /** The request target as sent, e.g. "/users?limit=5". */
  url: string;
  /** Node's rawHeaders: [name, value, name, value, ...] as received. */
  rawHeaders: string[];
  /** The body bytes; empty when there was none. */
  body: Buffer;
  sourceIp: string;
  /** HTTP version as sent, e.g. "1.1". */
  httpVersion: string;
}

export interface EventContext {
  requestId: string;
  /** When the gateway received the request. */
  receivedAt: Date;
  /** What the JWT authorizer passes on a guarded route: the token's claims (as strings) and scopes. */
  authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] | null } };
}

/** A request id shaped like API Gateway's (e.g. "JKJaXmPLvHcESHA="): unique per request. */
export function newRequestId(): string {
  return randomBytes(10).toString("base64");
}

/** The gateway passes only these content types as text; everything else, or none, is base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type.startsWith("text/") || type === "application/json" || type === "application/xml" || type === "application/javascript";
}

export function buildHttpApiEvent(req: IncomingRequest, match: RouteMatch, ctx: EventContext): APIGatewayProxyEventV2 {
  const queryStart = req.url.indexOf("?");
  const rawPath = queryStart === -1 ? req.url : req.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? "" : req.url.slice(queryStart + 1);

  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    if (name === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  // What the gateway adds in front of the function.
  headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${req.sourceIp}` : req.sourceIp;
  headers["x-forwarded-proto"] ??= "http";
  headers["x-amzn-trace-id"] ??= traceId(ctx.receivedAt);
  if (req.body.length > 0) headers["content-length"] = String(req.body.length);

  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: match.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0]!,
      http: {
        method: req.method,
        path: safeDecodePath(rawPath),
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: ctx.requestId,
      routeKey: match.routeKey,
      stage: "$default",
      time: clfTime(ctx.receivedAt),
      timeEpoch: ctx.receivedAt.getTime(),
      ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
    },
    isBase64Encoded: false,
  };
  if (cookies.length) event.cookies = cookies;
  const query = queryParameters(rawQueryString);
  if (query) event.queryStringParameters = query;
  if (match.pathParameters) event.pathParameters = match.pathParameters;
  if (req.body.length > 0) {
    // Never a lenient decode (Buffer#toString swaps bad bytes for U+FFFD and hides them): bytes
    // that are not UTF-8 go over base64-encoded, untouched, and the handler refuses them (400).
    const text = isTextContentType(headers["content-type"]) ? strictUtf8(req.body) : undefined;
    event.body = text ?? req.body.toString("base64");
    event.isBase64Encoded = text === undefined;
  }
  return event;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function strictUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function queryParameters(raw: string): Record<string, string> | undefined {
  if (!raw) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = key in out ? `${out[key]},${value}` : value;
  }
  return Object.keys(out).length ? out : undefined;
}

function safeDecodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "12/Mar/2020:19:03:58 +0000", the gateway's requestContext.time format. */
function clfTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function traceId(d: Date): string {
  return `Root=1-${Math.floor(d.getTime() / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
}
