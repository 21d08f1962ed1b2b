import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { ApiError, errorResponse, internalError, serviceUnavailable } from "./api-error.js";
import { logRequest } from "./request-log.js";
import { matchRoute } from "./router.js";
import { routeKey } from "./routes.js";
import { ROUTE_HANDLERS } from "./user-routes.js";
import { TableUnavailableError } from "./users-table.js";

/**
 * Time kept back from the function's remaining time to log and answer 503 ourselves; without it a
 * slow DynamoDB under a short `lambda_timeout` would end in Lambda's own timeout (a bare 5xx).
 */
export const ANSWER_RESERVE_MS = 500;

/**
 * A signal that aborts shortly before the function times out, so whatever lambda_timeout is
 * configured, an unreachable table is answered 503 in time. None outside Lambda (no context).
 */
function deadlineSignal(context?: Partial<Pick<Context, "getRemainingTimeInMillis">>): AbortSignal | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  return remaining === undefined ? undefined : AbortSignal.timeout(Math.max(remaining - ANSWER_RESERVE_MS, 50));
}

/**
 * The Lambda entry point (API Gateway HTTP API, payload format 2.0). Always returns an explicit
 * statusCode (without one API Gateway would turn any returned object into a 200) and never CORS
 * headers: API Gateway answers preflights and ignores the function's CORS headers.
 */
export async function handler(
  event: APIGatewayProxyEventV2,
  context?: Pick<Context, "awsRequestId"> & Partial<Pick<Context, "getRemainingTimeInMillis">>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const started = performance.now();
  const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? "unknown";
  let route = "unmatched";
  let errorName: string | undefined;
  let errorCode: string | undefined;
  let response: APIGatewayProxyStructuredResultV2;
  try {
    const match = matchRoute(event);
    if (match.kind === "none") throw new ApiError(404, "not_found", "No such route.");
    if (match.kind === "wrongMethod") {
      throw new ApiError(
        405,
        "method_not_allowed",
        "Method not allowed on this path.",
        {},
        {
          allow: match.allow.join(", "),
        },
      );
    }
    route = routeKey(match.name);
    response = await ROUTE_HANDLERS[match.name]({ event, pathParameters: match.pathParameters, signal: deadlineSignal(context) });
  } catch (error) {
    let apiError: ApiError;
    if (error instanceof ApiError) {
      apiError = error;
    } else {
      // Only class names reach the log: an SDK message may quote request data.
      const cause = (error as { cause?: unknown } | undefined)?.cause;
      errorName = [error, cause]
        .filter(Boolean)
        .map((e) => (e as Error).name ?? typeof e)
        .join(" <- ");
      apiError = error instanceof TableUnavailableError ? serviceUnavailable() : internalError();
    }
    errorCode = apiError.code;
    response = errorResponse(apiError, requestId);
  }
  logRequest({
    requestId,
    awsRequestId: context?.awsRequestId,
    route,
    status: response.statusCode ?? 200,
    latencyMs: Math.round(performance.now() - started),
    errorCode,
    errorName,
  });
  return response;
}
