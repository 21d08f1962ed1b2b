import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { handler as sourceHandler } from "../../../backend/src/handler.js";
import { apiEvent, lambdaContext, type RequestSpec } from "./events.js";

export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: { awsRequestId: string; getRemainingTimeInMillis?: () => number },
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiAnswer {
  event: APIGatewayProxyEventV2;
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON (every answer of this API is JSON). */
  json: any;
  rawBody: string;
}

/**
 * Sends one API Gateway event through a handler (the source one by default). With
 * `timeoutMs`, the context counts down like Lambda's from that function timeout.
 */
export async function invoke(spec: RequestSpec, handler: LambdaHandler = sourceHandler, timeoutMs?: number): Promise<ApiAnswer> {
  const event = apiEvent(spec);
  const result = await handler(event, lambdaContext(timeoutMs));
  const rawBody = result.body ?? "";
  return {
    event,
    status: result.statusCode ?? 0,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
    json: JSON.parse(rawBody),
    rawBody,
  };
}
