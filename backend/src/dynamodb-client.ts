import type { Readable } from "node:stream";
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
  /**
   * Milliseconds for a whole attempt, from sending the request to the last byte of the answer
   * (DynamoDB answers in single-digit ms). The HTTP handler's own requestTimeout stops at the
   * response headers and its socket timeout is an idle timeout, so an endpoint trickling its body
   * a byte at a time would outlast both: AttemptDeadlineHandler holds the whole attempt to this.
   */
  requestTimeoutMs: 1_000,
  /** Attempts per call, first one included. */
  maxAttempts: 2,
} as const;

type HandleArgs = Parameters<NodeHttpHandler["handle"]>;

/**
 * The SDK's Node HTTP handler with a deadline on each attempt that lasts until the answer's body
 * has fully arrived. Past it the attempt fails with a TimeoutError, which the SDK retries like its
 * own request timeout (the retry then meets the create's idempotency check, see users-table.ts).
 */
export class AttemptDeadlineHandler extends NodeHttpHandler {
  constructor(
    private readonly attemptMs: number,
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
  ) {
    super(options);
  }

  override async handle(request: HandleArgs[0], options: HandleArgs[1] = {}): ReturnType<NodeHttpHandler["handle"]> {
    const deadline = new AbortController();
    const timeout = Object.assign(new Error(`DynamoDB attempt exceeded ${this.attemptMs} ms`), { name: "TimeoutError", code: "ETIMEDOUT" });
    const timer = setTimeout(() => deadline.abort(timeout), this.attemptMs);
    const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal as AbortSignal, deadline.signal]) : deadline.signal;
    try {
      const result = await super.handle(request, { ...options, abortSignal });
      const body = result.response.body as Readable | undefined;
      if (!body || typeof body.once !== "function") {
        clearTimeout(timer);
        return result;
      }
      const settle = () => clearTimeout(timer);
      body.once("end", settle);
      body.once("close", settle);
      body.once("error", settle);
      deadline.signal.addEventListener("abort", () => body.destroy(timeout), { once: true });
      return result;
    } catch (error) {
      clearTimeout(timer);
      // Our deadline, not the caller's: a retryable timeout rather than a final AbortError.
      if (deadline.signal.aborted && !options.abortSignal?.aborted) throw timeout;
      throw error;
    }
  }
}

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
    requestHandler: new AttemptDeadlineHandler(DYNAMODB_TIMEOUTS.requestTimeoutMs, {
      connectionTimeout: DYNAMODB_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: DYNAMODB_TIMEOUTS.requestTimeoutMs,
      // Without it 4.14 only logs a warning when requestTimeout expires and keeps waiting.
      throwOnRequestTimeout: true,
    }),
  });
  return client;
}
