/**
 * Runtime configuration, read from /config.json at start-up so one build serves every stage:
 * the app stack writes that file next to index.html, `npm run dev` serves one for the local API.
 */
export interface WebConfig {
  /** Base URL of the HTTP API, without a trailing slash, e.g. "https://api.example.com". */
  apiUrl: string;
}

/** config.json cannot be used; the message says what to check. */
export class WebConfigError extends Error {
  override name = "WebConfigError";
}

const SHAPE = 'it must hold {"apiUrl": "https://…"}, the address of the API';

/** Validates the parsed config.json; throws a WebConfigError saying what to check. */
export function parseWebConfig(raw: unknown): WebConfig {
  const apiUrl = raw && typeof raw === "object" ? (raw as Record<string, unknown>).apiUrl : undefined;
  if (typeof apiUrl !== "string" || !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(apiUrl)) {
    throw new WebConfigError(`Check config.json next to index.html: ${SHAPE}.`);
  }
  return { apiUrl: apiUrl.replace(/\/+$/, "") };
}

export async function loadWebConfig(): Promise<WebConfig> {
  let response: Response;
  try {
    // no-store: a stale config would point a new build at an old API.
    response = await fetch("/config.json", { cache: "no-store" });
  } catch {
    throw new WebConfigError("Check your connection: config.json could not be loaded.");
  }
  if (!response.ok) {
    throw new WebConfigError(
      `Check that config.json is deployed next to index.html (it answered HTTP ${response.status}); npm run deploy writes it, npm run dev serves it.`,
    );
  }
  let raw: unknown;
  try {
    raw = await response.json();
  } catch {
    throw new WebConfigError(`Check config.json: it is not valid JSON, and ${SHAPE}.`);
  }
  return parseWebConfig(raw);
}
