import { type ApiError, SIGNED_OUT } from "./api.js";
import { el } from "./dom.js";

/**
 * What a failed request tells the person using the app: one sentence in plain words (never the
 * API's field names, a raw user id or the request id), and, kept apart for support, the request
 * id and status in a collapsed "Details for support".
 */
export function failureContent(error: ApiError, sentence = peopleMessage(error)): (Node | string)[] {
  const parts: (Node | string)[] = [el("strong", undefined, sentence)];
  const support = [
    error.status ? `HTTP ${error.status}` : undefined,
    error.code,
    error.requestId ? `request id ${error.requestId}` : undefined,
  ].filter(Boolean);
  if (error.requestId || error.status) {
    const summary = el("summary", undefined, "Details for support");
    parts.push(el("details", "support", summary, el("span", "request-id", support.join(" · "))));
  }
  return parts;
}

/** "in 2 seconds" from Retry-After, or the given fallback. */
function retryIn(error: ApiError, fallback: string): string {
  const s = error.retryAfter;
  return s ? `in ${s} second${s === 1 ? "" : "s"}` : fallback;
}

export function peopleMessage(error: ApiError): string {
  if (error.code === "Timeout") return "The server took too long to answer. Please try again.";
  if (error.code === "NetworkError") return "The server cannot be reached. Check your connection and try again.";
  if (error.code === "InvalidResponse") return "The server sent an answer this app cannot read. Please try again later.";
  if (error.code === SIGNED_OUT) return "Your session has expired. Please sign in again.";
  switch (error.status) {
    case 400:
      return error.fields ? "Please correct the highlighted fields." : "The server could not accept this request.";
    case 404:
      return "There is no user with this id.";
    case 409:
      return "This user id is already taken: please choose another one.";
    case 413:
    case 415:
      return "The server refused this request.";
    case 429:
      return `Too many requests at the moment. Please wait and try again ${retryIn(error, "in a few seconds")}.`;
    case 500:
      return `Something went wrong on the server. Please try again ${retryIn(error, "in a moment")}.`;
    case 503:
      return `The service is busy. Please try again ${retryIn(error, "shortly")}.`;
    default:
      return error.status >= 500
        ? `The server had a problem. Please try again ${retryIn(error, "in a moment")}.`
        : "The request failed. Please try again.";
  }
}
