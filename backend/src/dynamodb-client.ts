import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/**
 * How long the function waits for DynamoDB. The SDK's defaults wait forever (timeouts 0) and
 * back off up to 20 s, so an unreachable or throttling table would hold the function until its
 * own timeout. Worst case with these: 2 attempts x 1 s + one back-off (<= 1 s on throttling)
 * ~= 3 s, inside the 5 s function timeout with room to answer 503.
 */
export const DYNAMODB_TIMEOUTS = {
  /** Milliseconds to open a TCP/TLS connection. */
  connectionTimeoutMs: 1_000,
  /** Milliseconds for a whole request once sent (DynamoDB answers in single-digit ms). */
  requestTimeoutMs: 1_000,
  /** Attempts per call, first one included. */
  maxAttempts: 2,
} as const;

/**
 * One client per container (module scope), reused by every invocation: its connection pool
 * and resolved credentials survive between requests. Region, credentials and endpoint come
 * from the standard AWS_* environment variables (AWS_ENDPOINT_URL_DYNAMODB in local runs).
 * Nothing is called at start-up: the SDK resolves credentials on the first request.
 */
let client: DynamoDBClient | undefined;

export function dynamoDbClient(): DynamoDBClient {
  client ??= new DynamoDBClient({
    maxAttempts: DYNAMODB_TIMEOUTS.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: DYNAMODB_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: DYNAMODB_TIMEOUTS.requestTimeoutMs,
      // Without it 4.14 only logs a warning when requestTimeout expires and keeps waiting.
      throwOnRequestTimeout: true,
    }),
  });
  return client;
}
