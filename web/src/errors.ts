import type { ApiError } from "./api.js";
import { el } from "./dom.js";

/** The content of a status region for a failed request: the API's message and what to do next. */
export function errorContent(error: ApiError): (Node | string)[] {
  const parts: (Node | string)[] = [el("strong", undefined, error.message)];
  if (error.status === 503) {
    parts.push(
      " ",
      error.retryAfter
        ? `Please try again in ${error.retryAfter} second${error.retryAfter === 1 ? "" : "s"}.`
        : "Please try again shortly.",
    );
  }
  if (error.requestId) parts.push(el("span", "request-id", `Request id: ${error.requestId}`));
  return parts;
}
