/** One structured line per request. Never the body, the email or any header: ids and figures. */
export interface RequestLogEntry {
  /** API Gateway's request id (also in the error body and the API's access log). */
  requestId: string;
  /** Lambda's invocation id, which the runtime's own log lines carry. */
  awsRequestId?: string;
  /** The route key ("POST /users"), or "unmatched". */
  route: string;
  status: number;
  latencyMs: number;
  /** The API error code when the answer is an error. */
  errorCode?: string;
  /** The class name of an unexpected failure (5xx), never its message. */
  errorName?: string;
}

/**
 * Written as a raw JSON line on stdout (not console.log), so CloudWatch gets the same line with
 * the function's log format set to text or JSON, and Logs Insights can query its fields.
 */
export function logRequest(entry: RequestLogEntry): void {
  const level = entry.status >= 500 ? "ERROR" : "INFO";
  process.stdout.write(`${JSON.stringify({ level, msg: "request", ...entry })}\n`);
}
