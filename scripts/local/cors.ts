/**
 * The HTTP API's `cors_configuration`, answered by the gateway itself: a preflight (OPTIONS with
 * Origin and Access-Control-Request-Method) never reaches the function; CORS headers are only
 * ever sent to an allowed Origin; CORS headers from the function are ignored.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */

/** The gateway's CORS settings; the dev server passes the app stack's (backend/src/contract.ts API_CORS). */
export interface CorsConfig {
  /** Exact origins allowed, e.g. ["http://127.0.0.1:5173"]. */
  allowOrigins: readonly string[];
  allowHeaders: readonly string[];
  allowMethods: readonly string[];
  /** Response headers a browser script may read. @default [] */
  exposeHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  maxAge: number;
}

export type HeaderList = [name: string, value: string][];

export function isPreflight(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  return method === "OPTIONS" && headers.origin !== undefined && headers["access-control-request-method"] !== undefined;
}

export function isAllowedOrigin(cors: CorsConfig, origin: string | undefined): origin is string {
  return origin !== undefined && cors.allowOrigins.includes(origin);
}

/** The gateway's answer to a preflight: 204, with CORS headers for an allowed origin only. */
export function preflightHeaders(cors: CorsConfig, origin: string | undefined): HeaderList {
  if (!isAllowedOrigin(cors, origin)) return [];
  return [
    ["access-control-allow-origin", origin],
    ["access-control-allow-methods", cors.allowMethods.join(",")],
    ["access-control-allow-headers", cors.allowHeaders.join(",")],
    ["access-control-max-age", String(cors.maxAge)],
  ];
}

/** Headers the gateway adds to an actual (non-preflight) response for an allowed origin. */
export function responseCorsHeaders(cors: CorsConfig, origin: string | undefined): HeaderList {
  if (!isAllowedOrigin(cors, origin)) return [];
  const headers: HeaderList = [["access-control-allow-origin", origin]];
  if (cors.exposeHeaders?.length) headers.push(["access-control-expose-headers", cors.exposeHeaders.join(",")]);
  return headers;
}

/** Drops CORS headers a function returned: the gateway owns them. */
export function withoutCorsHeaders(headers: HeaderList): HeaderList {
  return headers.filter(([name]) => !name.toLowerCase().startsWith("access-control-"));
}
