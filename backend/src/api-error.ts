import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** A response the API answers on purpose: status, machine-readable code and a safe message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra members of the error object, e.g. `fields` for a 400 on the body. */
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Headers on every answer: JSON, never cached by intermediaries, never sniffed. */
const COMMON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...COMMON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** `{error: {code, message, requestId, ...details}}`. */
export function errorResponse(error: ApiError, requestId: string): APIGatewayProxyStructuredResultV2 {
  return jsonResponse(error.status, { error: { code: error.code, message: error.message, requestId, ...error.details } }, error.headers);
}

/** For anything unexpected: the body names no internal detail, only the request id. */
export const internalError = () => new ApiError(500, "internal_error", "Internal server error.");

/** DynamoDB throttled or could not be reached in time: the client may try again shortly. */
export const serviceUnavailable = () =>
  new ApiError(
    503,
    "service_unavailable",
    "The service is temporarily unavailable; retry later.",
    {},
    {
      "retry-after": "1",
    },
  );
