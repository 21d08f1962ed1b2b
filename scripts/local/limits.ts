/**
 * HTTP API quotas the local server enforces like the gateway:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */

/** Request line plus headers. */
export const MAX_REQUEST_HEAD_BYTES = 10_240;
/** Request payload. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Bytes of the request line and headers as sent ("METHOD target HTTP/x.y\r\nName: value\r\n..."). */
export function requestHeadBytes(method: string, url: string, httpVersion: string, rawHeaders: string[]): number {
  let bytes = Buffer.byteLength(`${method} ${url} HTTP/${httpVersion}\r\n`);
  for (let i = 0; i < rawHeaders.length; i += 2) {
    bytes += Buffer.byteLength(`${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`);
  }
  return bytes;
}
