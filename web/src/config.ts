/**
 * Runtime configuration, read from /config.json at start-up so one build serves every stage:
 * the app stack writes that file next to index.html, `npm run dev` serves one for the local API.
 */
import type { WebAuthConfig } from "./auth-config.js";
export interface WebConfig {
  /** Base URL of the HTTP API, without a trailing slash, e.g. "https://api.example.com". */
  apiUrl: string;
  /** Sign-in (config `auth: "cognito"`): the issuer and its endpoints. Absent: an anonymous API. */
  auth?: WebAuthConfig;
}

/** config.json cannot be used; the message says what to check. */
export class WebConfigError extends Error {
  override name = "WebConfigError";
}

const SHAPE = 'it must hold {"apiUrl": "https://…"}, the address of the API';

const HTTP_URL = /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/;

/** Validates the parsed config.json; throws a WebConfigError saying what to check. */
export function parseWebConfig(raw: unknown): WebConfig {
  const record = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const apiUrl = record.apiUrl;
  if (typeof apiUrl !== "string" || !HTTP_URL.test(apiUrl)) {
    throw new WebConfigError(`Check config.json next to index.html: ${SHAPE}.`);
  }
  const config: WebConfig = { apiUrl: apiUrl.replace(/\/+$/, "") };
  if (record.auth !== undefined) config.auth = parseAuth(record.auth);
  return config;
}

function parseAuth(raw: unknown): WebAuthConfig {
  const a = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const urls = ["issuer", "authorizationEndpoint", "tokenEndpoint", "logoutEndpoint"] as const;
  const bad = [
    ...urls.filter((k) => typeof a[k] !== "string" || !HTTP_URL.test(a[k] as string)),
    ...(typeof a.clientId === "string" && a.clientId ? [] : ["clientId"]),
    ...(Array.isArray(a.scopes) && a.scopes.every((s) => typeof s === "string") ? [] : ["scopes"]),
  ];
  if (bad.length > 0) throw new WebConfigError(`Check config.json next to index.html: its "auth" lacks a valid ${bad.join(", ")}.`);
  return {
    issuer: a.issuer as string,
    clientId: a.clientId as string,
    authorizationEndpoint: a.authorizationEndpoint as string,
    tokenEndpoint: a.tokenEndpoint as string,
    logoutEndpoint: a.logoutEndpoint as string,
    scopes: a.scopes as string[],
  };
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
