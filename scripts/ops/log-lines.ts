/**
 * One readable line per log event. The function writes one JSON line per request
 * (backend/src/request-log.ts: level, msg "request", requestId, route, status, latencyMs,
 * errorCode, errorName); the API's access log writes the JSON the stage's format names
 * (modules/apigateway-v2.ts). Anything else (runtime errors, platform records, text) is shown as
 * it is, after the time. Errors (5xx, level ERROR, timeouts) are highlighted.
 */

export type LogSource = "fn" | "api";

export interface LogEvent {
  source: LogSource;
  timestamp: number;
  message: string;
  eventId?: string;
  logStreamName?: string;
}

export type Severity = "error" | "warn" | "info";

export interface ReadableLine {
  severity: Severity;
  text: string;
}

function parseJson(message: string): Record<string, unknown> | undefined {
  const trimmed = message.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value = JSON.parse(trimmed);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const statusSeverity = (status: number): Severity => (status >= 500 ? "error" : status >= 400 ? "warn" : "info");
const str = (v: unknown) => (v === undefined || v === null || v === "-" ? "" : String(v));

function columns(time: string, status: string, route: string, latency: string, source: LogSource, rest: string): string {
  return `${time}  ${status.padEnd(5)} ${route.padEnd(22)} ${latency.padStart(7)}  ${source.padEnd(3)} ${rest}`.trimEnd();
}

/** The readable form of one event. */
export function readable(event: LogEvent): ReadableLine {
  const time = new Date(event.timestamp).toISOString();
  const json = parseJson(event.message);
  if (json && event.source === "fn" && json.msg === "request" && typeof json.status === "number") {
    const extra = [json.errorCode, json.errorName].filter(Boolean).join(" ");
    return {
      severity: json.level === "ERROR" ? "error" : statusSeverity(json.status),
      text: columns(
        time,
        String(json.status),
        str(json.route),
        `${str(json.latencyMs)} ms`,
        "fn",
        `${str(json.requestId)}${extra ? `  ${extra}` : ""}`,
      ),
    };
  }
  if (json && event.source === "api" && json.status !== undefined) {
    const status = Number(json.status);
    const route = str(json.routeKey) || `${str(json.httpMethod)} ?`;
    const latency = str(json.integrationLatency) ? `${str(json.integrationLatency)} ms` : "-";
    const problem = str(json.integrationErrorMessage);
    return {
      severity: statusSeverity(status),
      text: columns(time, String(json.status), route, latency, "api", `${str(json.requestId)}${problem ? `  ${problem}` : ""}`),
    };
  }
  if (json) {
    // Runtime and platform records: {"level":"ERROR","errorType":...} or {"type":"platform.report","record":{...}}
    const record = (json.record ?? {}) as Record<string, unknown>;
    const failed = json.level === "ERROR" || json.level === "FATAL" || /^(error|failure|timeout)$/.test(str(record.status));
    const summary = [
      str(json.level) || str(json.type),
      str(json.errorType),
      str(json.message) || str(json.errorMessage) || str(record.status),
    ]
      .filter(Boolean)
      .join("  ");
    return {
      severity: failed ? "error" : json.level === "WARN" ? "warn" : "info",
      text: `${time}  ${event.source.padEnd(3)} ${summary || event.message.trim()}`,
    };
  }
  const line = event.message.trim();
  const failed = /\b(ERROR|Task timed out|Runtime exited|Runtime\.\w+Error)\b/.test(line);
  return { severity: failed ? "error" : "info", text: `${time}  ${event.source.padEnd(3)} ${line}` };
}

const COLORS: Record<Severity, [string, string]> = { error: ["\x1b[31m", "\x1b[0m"], warn: ["\x1b[33m", "\x1b[0m"], info: ["", ""] };

/** The line as printed: colored on a terminal, else errors marked with a leading "!". */
export function render(line: ReadableLine, color: boolean): string {
  if (color) {
    const [on, off] = COLORS[line.severity];
    return `${on}${line.text}${off}`;
  }
  return `${line.severity === "error" ? "! " : "  "}${line.text}`;
}
