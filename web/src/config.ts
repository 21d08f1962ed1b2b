/**
 * Runtime configuration, read from /config.json at start-up so one build serves every stage:
 * the app stack writes that file next to index.html, `npm run dev` serves one for the local API.
 */
export interface WebConfig {
  /** Base URL of the HTTP API, without a trailing slash, e.g. "https://api.example.com". */
  apiUrl: string;
}

/** Validates the parsed config.json; throws an Error naming the problem. */
export function parseWebConfig(raw: unknown): WebConfig {
  const apiUrl = raw && typeof raw === "object" ? (raw as Record<string, unknown>).apiUrl : undefined;
  if (typeof apiUrl !== "string" || !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(apiUrl)) {
    throw new Error("config.json must hold {\"apiUrl\": \"https://…\"}");
  }
  return { apiUrl: apiUrl.replace(/\/+$/, "") };
}

export async function loadWebConfig(): Promise<WebConfig> {
  // no-store: a stale config would point a new build at an old API.
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return parseWebConfig(await response.json());
}
