import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ROUTES } from "../../../backend/src/routes.js";

/**
 * The one builder of API Gateway HTTP API (payload format 2.0) events for the backend tests,
 * shaped field by field as API Gateway sends them: lower-case header names, cookies split out of
 * the Cookie header, rawQueryString plus comma-joined queryStringParameters, a unique
 * requestContext.requestId, timeEpoch in milliseconds, and a body base64-encoded unless its
 * content type is textual.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export interface RequestSpec {
  method: string;
  /** Path with an optional query string, e.g. "/users?limit=2". */
  path: string;
  headers?: Record<string, string>;
  cookies?: string[];
  /** Text body; encoded as API Gateway would for the request's content type. */
  body?: string;
  /** Raw body bytes, always sent base64-encoded (binary content). */
  bodyBytes?: Uint8Array;
  /** Sends `body` exactly as given with this flag (e.g. malformed base64). */
  rawBody?: { body: string; isBase64Encoded: boolean };
  /** Force the route key (API Gateway sets it from the matched route; "$default" when none). */
  routeKey?: string;
  /**
   * What API Gateway's JWT authorizer passes after verifying a token: the claims (every value a
   * string) and the scopes. Omitted: a route without an authorizer (config auth "none").
   */
  jwt?: { claims: Record<string, string>; scopes?: string[] | null };
}

/** The claims API Gateway passes for a Cognito access token of `sub` (string values, as it sends them). */
export function cognitoClaims(sub: string): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub,
    iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example",
    client_id: "exampleclientid0123456789",
    token_use: "access",
    scope: "openid email profile",
    auth_time: String(now),
    iat: String(now),
    exp: String(now + 3600),
    jti: randomBytes(8).toString("hex"),
    username: sub,
  };
}

/** A JSON request as the web app sends it. */
export function jsonRequest(method: string, path: string, body?: unknown): RequestSpec {
  return {
    method,
    path,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

let counter = 0;
function requestId(): string {
  // API Gateway's ids look like "JKJaXmPLvHcESHA=": base64 of 10 bytes.
  counter += 1;
  return Buffer.concat([randomBytes(8), Buffer.from([counter >> 8, counter & 255])]).toString("base64");
}

function clfTime(date: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

/** Which declared route API Gateway would pick (more literal segments first), with its path parameters (decoded). */
function apiGatewayRoute(method: string, path: string) {
  const literals = (p: string) => p.split("/").filter((s) => s && !s.startsWith("{")).length;
  for (const route of Object.values(ROUTES).sort((a, b) => literals(b.path) - literals(a.path))) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    const m = new RegExp(`^${pattern}$`).exec(path);
    if (!m) continue;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    return { routeKey: `${route.method} ${route.path}`, pathParameters: names.length ? params : undefined };
  }
  return { routeKey: "$default", pathParameters: undefined };
}

function isTextual(contentType: string | undefined): boolean {
  return contentType !== undefined && /^(text\/|application\/(json|xml|javascript))/i.test(contentType);
}

export function apiEvent(spec: RequestSpec): APIGatewayProxyEventV2 {
  const now = new Date();
  const [rawPath, rawQueryString = ""] = spec.path.split(/\?(.*)/s, 2) as [string, string?];
  const headers: Record<string, string> = {
    accept: "*/*",
    host: "abc123.execute-api.us-east-1.amazonaws.com",
    "user-agent": "vitest/4",
    "x-amzn-trace-id": `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString("hex")}`,
    "x-forwarded-for": "203.0.113.7",
    "x-forwarded-port": "443",
    "x-forwarded-proto": "https",
  };
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name.toLowerCase()] = value;

  let body: string | undefined;
  let isBase64Encoded = false;
  if (spec.rawBody) {
    ({ body, isBase64Encoded } = spec.rawBody);
  } else if (spec.bodyBytes) {
    body = Buffer.from(spec.bodyBytes).toString("base64");
    isBase64Encoded = true;
  } else if (spec.body !== undefined) {
    isBase64Encoded = !isTextual(headers["content-type"]);
    body = isBase64Encoded ? Buffer.from(spec.body, "utf8").toString("base64") : spec.body;
  }
  if (body !== undefined) {
    headers["content-length"] = String(isBase64Encoded ? Buffer.from(body, "base64").length : Buffer.byteLength(body));
  }

  const query = new URLSearchParams(rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const [k, v] of query) queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;

  const matched = apiGatewayRoute(spec.method, rawPath);
  const routeKey = spec.routeKey ?? matched.routeKey;
  return {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    cookies: spec.cookies,
    headers,
    queryStringParameters: rawQueryString ? queryStringParameters : undefined,
    pathParameters: matched.pathParameters,
    stageVariables: undefined,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "abc123",
      http: {
        method: spec.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.7",
        userAgent: headers["user-agent"]!,
      },
      requestId: requestId(),
      routeKey,
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
      ...(spec.jwt ? { authorizer: { jwt: { claims: spec.jwt.claims, scopes: spec.jwt.scopes ?? null } } } : {}),
    },
    body,
    isBase64Encoded,
  };
}

/** A Lambda context with just what the handler reads; with `timeoutMs`, a real countdown. */
export function lambdaContext(timeoutMs?: number) {
  const awsRequestId = randomBytes(16).toString("hex");
  if (timeoutMs === undefined) return { awsRequestId };
  const deadline = Date.now() + timeoutMs;
  return { awsRequestId, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}
