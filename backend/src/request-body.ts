import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ApiError } from "./api-error.js";
import { JsonSyntaxError, parseStrictJson } from "./strict-json.js";

/** Largest body the API reads, in bytes after base64 decoding (well under every platform limit). */
export const MAX_BODY_BYTES = 16 * 1024;

// Canonical base64 only: the alphabet, whole quads, "=" padding only at the end.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// The bits a padded last quad does not use must be zero, or two texts decode to the same bytes.
const BASE64_SLACK_BITS = /(?:[^AQgw]==|[^AEIMQUYcgkosw048=]=)$/;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Only `application/json`, with at most a `charset=utf-8` parameter (JSON is UTF-8: RFC 8259). */
export function checkJsonContentType(headers: APIGatewayProxyEventV2["headers"]): void {
  const value = headers?.["content-type"];
  const unsupported = (why: string) => new ApiError(415, "unsupported_media_type", `Content-Type must be application/json; ${why}.`);
  if (value === undefined) throw unsupported("none was sent");
  const [type, ...params] = value.split(";").map((p) => p.trim());
  if (type?.toLowerCase() !== "application/json") throw unsupported("another type was sent");
  for (const param of params) {
    const [name, rawValue = ""] = param.split("=", 2).map((p) => p.trim());
    const charset = rawValue.replace(/^"(.*)"$/, "$1").toLowerCase();
    if (name?.toLowerCase() !== "charset" || charset !== "utf-8") {
      throw unsupported("the only parameter allowed is charset=utf-8");
    }
  }
}

const tooLarge = () => new ApiError(413, "payload_too_large", `The body must be at most ${MAX_BODY_BYTES} bytes.`);
const badEncoding = (why: string) => new ApiError(400, "invalid_encoding", `The body ${why}.`);

/** The body as text: base64 decoded strictly when flagged, UTF-8 decoded strictly, size-bounded. */
export function readBodyText(event: Pick<APIGatewayProxyEventV2, "body" | "isBase64Encoded">): string {
  const body = event.body ?? "";
  if (!event.isBase64Encoded) {
    // Every UTF-16 unit is at least one UTF-8 byte, so a long string is too large unencoded.
    if (body.length > MAX_BODY_BYTES || encoder.encode(body).length > MAX_BODY_BYTES) throw tooLarge();
    // A body handed over as text was decoded before it reached us: bytes that were not UTF-8 left
    // U+FFFD behind (an intended U+FFFD is written \ufffd in JSON and judged by the field's rules).
    if (body.includes("\uFFFD")) throw badEncoding("is not valid UTF-8 (it holds U+FFFD, the mark of undecodable bytes)");
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(body))
      throw badEncoding("is not valid UTF-8 (it holds an unpaired surrogate)");
    return body;
  }
  if (body.length > (Math.ceil(MAX_BODY_BYTES / 3) + 1) * 4) throw tooLarge();
  if (!BASE64.test(body) || BASE64_SLACK_BITS.test(body)) throw badEncoding("is not valid base64");
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
  try {
    return utf8.decode(bytes);
  } catch {
    throw badEncoding("is not valid UTF-8");
  }
}

/** The body parsed as one strict JSON document (see strict-json.ts). */
export function readJsonBody(event: Pick<APIGatewayProxyEventV2, "body" | "isBase64Encoded">): unknown {
  const text = readBodyText(event);
  if (text.trim() === "") throw new ApiError(400, "invalid_json", "A JSON body is required.");
  try {
    return parseStrictJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new ApiError(400, "invalid_json", `The body is not valid JSON: ${error.message}.`);
    }
    throw error;
  }
}
