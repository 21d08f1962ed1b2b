/**
 * The HTTP API client (contract: docs/api.md). Every call resolves, never rejects: the result is either the
 * parsed body or an ApiError the views can show as it is.
 */
export interface UserSummary {
  userId: string;
  name: string;
  createdAt: string;
}

/** The signed-in caller's own record (GET /users/me): with the e-mail. */
export interface OwnUser extends UserSummary {
  email: string;
}

export interface UserPage {
  items: UserSummary[];
  nextCursor: string | null;
}

export interface Created {
  message: string;
  userId: string;
}

/** An error answer of the API (`{error: {code, message, requestId, fields?}}`) or of the network. */
export interface ApiError {
  /** HTTP status, or 0 when no answer arrived (network error, timeout, CORS refusal). */
  status: number;
  code: string;
  message: string;
  requestId?: string;
  /** Per-field messages of a 400 validation error. */
  fields?: Record<string, string>;
  /** Seconds from Retry-After (429, 500, 503), when the API sends it. */
  retryAfter?: number;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiError };

/** How long a request may take before the view gives up and says so. */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Where requests get their access token (sign-in on): `token()` is undefined when nobody is
 * signed in; `rejected()` is told when the API answered 401, and says whether a refreshed token
 * is worth one more try.
 */
export interface TokenSource {
  token(): Promise<string | undefined>;
  rejected(): Promise<boolean>;
}

/** The code of an error for a request that needs a sign-in nobody has (or that expired). */
export const SIGNED_OUT = "SignedOut";

export interface UsersApi {
  /**
   * `idempotencyKey` makes a retry of the same create answer as the first attempt did (201).
   * Signed in, the body has no userId: the API takes it from the token.
   */
  createUser(input: { userId?: string; name: string; email: string }, idempotencyKey: string): Promise<ApiResult<Created>>;
  /** GET /users/me: the signed-in caller's own record. */
  me(): Promise<ApiResult<OwnUser>>;
  getUser(userId: string): Promise<ApiResult<UserSummary>>;
  listUsers(params: { limit: number; cursor?: string }): Promise<ApiResult<UserPage>>;
  /** GET /health: whether config.json's apiUrl reaches this API at all (no database call). */
  health(): Promise<ApiResult<{ status: string }>>;
}

export function usersApi(apiUrl: string, tokens?: TokenSource): UsersApi {
  const request = <T>(url: string, init: RequestInit) => authorizedRequest<T>(url, init, tokens);
  return {
    createUser: (input, idempotencyKey) =>
      request<Created>(`${apiUrl}/users`, {
        method: "POST",
        // A JSON content type makes the cross-origin POST non-simple, so the gateway's CORS
        // preflight (web origin only) guards it.
        headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
        body: JSON.stringify(input),
      }),
    me: () => request<OwnUser>(`${apiUrl}/users/me`, { method: "GET" }),
    getUser: (userId) => request<UserSummary>(`${apiUrl}/users/${encodeURIComponent(userId)}`, { method: "GET" }),
    listUsers: ({ limit, cursor }) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set("cursor", cursor);
      return request<UserPage>(`${apiUrl}/users?${query}`, { method: "GET" });
    },
    health: () => send<{ status: string }>(`${apiUrl}/health`, { method: "GET" }),
  };
}

/**
 * A request with the access token as `Authorization: Bearer` when sign-in is on. A 401 from the
 * gateway (the token expired or was revoked) gets one retry with a refreshed token; if there is
 * none, the answer is a SIGNED_OUT error and the page shows the signed-out state.
 */
async function authorizedRequest<T>(url: string, init: RequestInit, tokens: TokenSource | undefined): Promise<ApiResult<T>> {
  if (!tokens) return send<T>(url, init);
  for (let attempt = 0; ; attempt++) {
    const token = await tokens.token();
    if (!token) return signedOut();
    const result = await send<T>(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    });
    if (result.ok || result.error.status !== 401) return result;
    if (attempt > 0 || !(await tokens.rejected())) return signedOut();
  }
}

function signedOut<T>(): ApiResult<T> {
  return { ok: false, error: { status: 401, code: SIGNED_OUT, message: "Please sign in again." } };
}

async function send<T>(url: string, init: RequestInit): Promise<ApiResult<T>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal: abort.signal, credentials: "omit", mode: "cors" });
    // Under the same timeout: the headers can arrive long before a stalled body.
    text = await response.text();
  } catch {
    const timedOut = abort.signal.aborted;
    return {
      ok: false,
      error: {
        status: 0,
        code: timedOut ? "Timeout" : "NetworkError",
        message: timedOut
          ? `The API did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds. Please try again.`
          : "Cannot reach the API. Check your connection and try again.",
      },
    };
  } finally {
    clearTimeout(timer);
  }
  const body = parseJson(text);
  // Every success of this API is a JSON object. Anything else (say, the site's index.html
  // because config.json names the wrong apiUrl) must not reach the views as data.
  if (response.ok && body !== null && typeof body === "object") return { ok: true, status: response.status, data: body as T };
  if (response.ok) {
    return {
      ok: false,
      error: { status: response.status, code: "InvalidResponse", message: "The API sent an answer this app cannot read." },
    };
  }
  return { ok: false, error: toApiError(response, body) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(response: Response, body: unknown): ApiError {
  const record = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  // The backend answers {error:{...}}; the gateway's own errors are {message}.
  const inner = record.error && typeof record.error === "object" ? (record.error as Record<string, unknown>) : record;
  const retryAfter = Number(response.headers.get("retry-after"));
  const error: ApiError = {
    status: response.status,
    code: typeof inner.code === "string" ? inner.code : `Http${response.status}`,
    message: typeof inner.message === "string" && inner.message ? inner.message : defaultMessage(response.status),
  };
  if (typeof inner.requestId === "string") error.requestId = inner.requestId;
  if (inner.fields && typeof inner.fields === "object") error.fields = stringRecord(inner.fields);
  if (Number.isFinite(retryAfter) && retryAfter > 0) error.retryAfter = retryAfter;
  return error;
}

function stringRecord(value: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

function defaultMessage(status: number): string {
  if (status === 503) return "The service is busy. Please try again in a moment.";
  if (status >= 500) return "The server had a problem. Please try again.";
  return `The request failed (HTTP ${status}).`;
}
