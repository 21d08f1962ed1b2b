/**
 * Maps a function's payload 2.0 result to the HTTP answer the gateway would send: a result with a
 * statusCode is taken field by field (headers, cookies as set-cookie, base64 bodies decoded); any
 * other JSON value is a 200 application/json answer with that value as body; an unusable result
 * is the gateway's 500. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import type { HeaderList } from "./cors.js";

export interface HttpAnswer {
  statusCode: number;
  headers: HeaderList;
  body: Buffer;
}

/** The gateway's own error bodies are `{"message": "..."}`. */
export function gatewayAnswer(statusCode: number, message: string): HttpAnswer {
  return {
    statusCode,
    headers: [["content-type", "application/json"]],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

export const INTERNAL_SERVER_ERROR = () => gatewayAnswer(500, "Internal Server Error");

export function mapLambdaResult(result: unknown): HttpAnswer {
  if (result === undefined) return INTERNAL_SERVER_ERROR();
  if (typeof result === "string") {
    return { statusCode: 200, headers: [["content-type", "application/json"]], body: Buffer.from(result) };
  }
  if (result === null || typeof result !== "object" || !("statusCode" in result)) {
    return { statusCode: 200, headers: [["content-type", "application/json"]], body: Buffer.from(JSON.stringify(result)) };
  }
  const structured = result as { statusCode: unknown; headers?: unknown; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
  const status = structured.statusCode;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) return INTERNAL_SERVER_ERROR();

  const headers: HeaderList = [];
  if (structured.headers !== undefined) {
    if (structured.headers === null || typeof structured.headers !== "object") return INTERNAL_SERVER_ERROR();
    for (const [name, value] of Object.entries(structured.headers)) {
      if (!["string", "number", "boolean"].includes(typeof value)) return INTERNAL_SERVER_ERROR();
      headers.push([name.toLowerCase(), String(value)]);
    }
  }
  if (structured.cookies !== undefined) {
    if (!Array.isArray(structured.cookies) || !structured.cookies.every((c) => typeof c === "string")) return INTERNAL_SERVER_ERROR();
    for (const cookie of structured.cookies as string[]) headers.push(["set-cookie", cookie]);
  }
  let body = Buffer.alloc(0);
  if (structured.body !== undefined && structured.body !== null) {
    if (typeof structured.body !== "string") return INTERNAL_SERVER_ERROR();
    body = structured.isBase64Encoded === true ? Buffer.from(structured.body, "base64") : Buffer.from(structured.body, "utf8");
  }
  return { statusCode: status, headers, body };
}
