/**
 * The post-deploy smoke check: the API answers `GET /health` and `GET /users?limit=1`, and the web
 * app's `/config.json` comes through CloudFront naming that API. Each check is retried until it
 * passes or the deadline passes (a new function's first cold start, CloudFront's first fetch from
 * the bucket). It only reads: a failure leaves the stage as it is. `npm run deploy` runs it after
 * the app stack; anything else that knows the URLs (e.g. a status command) can call smokeCheck().
 */

export interface SmokeTargets {
  /** The API's base URL (the app stack's api_url output). */
  apiUrl: string;
  /** The web app's URL through CloudFront (the app stack's web_url output). */
  webUrl: string;
  /**
   * The stage signs users in (config `auth: "cognito"`): `GET /users` then needs a token, so the
   * check expects API Gateway's 401 without one, and config.json must carry the sign-in settings.
   * @default false
   */
  signIn?: boolean;
}

export interface SmokeOptions {
  /** Give up on a check that has not passed after this long. @default 120_000 ms */
  deadlineMs?: number;
  /** Pause between attempts of a failing check. @default 3_000 ms */
  intervalMs?: number;
  /** One request's own time limit. @default 10_000 ms */
  requestTimeoutMs?: number;
  /** Called after each failed attempt (progress on a long wait). */
  onRetry?: (check: string, attempt: number, problem: string) => void;
}

export interface SmokeResult {
  /** What was checked, e.g. "API GET /health". */
  name: string;
  url: string;
  ok: boolean;
  attempts: number;
  /** Why the last attempt failed (status, body excerpt, network error). */
  problem?: string;
}

interface Check {
  name: string;
  url: string;
  /** Undefined when the response is what a working stage answers, else what is wrong with it. */
  verify: (status: number, contentType: string, body: string) => string | undefined;
}

const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, "")}${path}`;
const excerpt = (body: string) => JSON.stringify(body.length > 120 ? `${body.slice(0, 120)}…` : body);

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The checks, in order: API liveness, API with its table, the web app's runtime config. */
export function smokeChecks(targets: SmokeTargets): Check[] {
  const expectJson = (
    status: number,
    contentType: string,
    body: string,
    shape: (json: Record<string, unknown>) => boolean,
    what: string,
  ) => {
    if (status !== 200) return `answered ${status}: ${excerpt(body)}`;
    const json = parseJson(body);
    if (!/json/i.test(contentType) || !json || typeof json !== "object" || !shape(json as Record<string, unknown>)) {
      return `answered 200 but not ${what} (content-type ${contentType || "none"}): ${excerpt(body)}`;
    }
    return undefined;
  };
  const api = targets.apiUrl.replace(/\/+$/, "");
  return [
    {
      name: "API GET /health",
      url: joinUrl(api, "/health"),
      verify: (status, type, body) => expectJson(status, type, body, (j) => j.status === "ok", '{"status":"ok"}'),
    },
    targets.signIn
      ? {
          // The JWT authorizer answers before the function runs
          // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
          name: "API GET /users?limit=1 without a token is refused (JWT authorizer)",
          url: joinUrl(api, "/users?limit=1"),
          verify: (status, _type, body) => {
            const json = parseJson(body) as { message?: unknown } | undefined;
            if (status === 401 && json?.message === "Unauthorized") return undefined;
            return status === 200
              ? `answered 200 without a token: the route is not guarded: ${excerpt(body)}`
              : `answered ${status}, not 401 {"message":"Unauthorized"}: ${excerpt(body)}`;
          },
        }
      : {
          name: "API GET /users?limit=1 (function reads the table)",
          url: joinUrl(api, "/users?limit=1"),
          verify: (status, type, body) => expectJson(status, type, body, (j) => Array.isArray(j.items), "a page of users"),
        },
    {
      name: "web GET /config.json through CloudFront",
      url: joinUrl(targets.webUrl, "/config.json"),
      verify: (status, type, body) => {
        const problem = expectJson(status, type, body, (j) => typeof j.apiUrl === "string", '{"apiUrl": …}');
        if (problem) return problem;
        const config = parseJson(body) as { apiUrl: string; auth?: { clientId?: unknown } };
        const named = String(config.apiUrl).replace(/\/+$/, "");
        if (named !== api) return `names the API ${named}, not this stage's ${api}`;
        if (targets.signIn && typeof config.auth?.clientId !== "string") return `has no sign-in settings ("auth"): ${excerpt(body)}`;
        return undefined;
      },
    },
  ];
}

async function attempt(check: Check, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(check.url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "follow",
      headers: { "cache-control": "no-cache" },
    });
    const body = await response.text();
    return check.verify(response.status, response.headers.get("content-type") ?? "", body);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return `no answer: ${cause?.code ?? cause?.message ?? (err as Error).message}`;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs every check (each retried until it passes or the shared deadline passes, at least once); never throws. */
export async function smokeCheck(targets: SmokeTargets, options: SmokeOptions = {}): Promise<SmokeResult[]> {
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  const interval = options.intervalMs ?? 3_000;
  const timeout = options.requestTimeoutMs ?? 10_000;
  const results: SmokeResult[] = [];
  for (const check of smokeChecks(targets)) {
    let attempts = 0;
    let problem: string | undefined;
    for (;;) {
      attempts++;
      // Each attempt gets its full time limit: the deadline only decides whether to try again.
      problem = await attempt(check, timeout);
      if (!problem || Date.now() + interval >= deadline) break;
      options.onRetry?.(check.name, attempts, problem);
      await sleep(interval);
    }
    results.push({ name: check.name, url: check.url, ok: !problem, attempts, problem });
  }
  return results;
}

/** One line per check, e.g. for a failure report or a status command. */
export function formatSmokeResults(results: SmokeResult[]): string[] {
  return results.map((r) =>
    r.ok ? `✔ ${r.name} (${r.url})` : `✘ ${r.name} (${r.url}) failed after ${r.attempts} attempt(s): ${r.problem}`,
  );
}
