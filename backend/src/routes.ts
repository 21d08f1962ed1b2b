/**
 * The API's routes, defined once. The same table feeds the Lambda handler's router, the API
 * Gateway routes of the app stack (so unknown paths never invoke the function) and the local
 * server of `npm run dev`. Keys are API Gateway route keys ("METHOD /path/{param}").
 *
 * `authorization` says which routes the JWT authorizer guards when the config's `auth` is
 * "cognito" (with `auth: "none"` no route has an authorizer): every route that reads or writes
 * personal data is "jwt"; only the liveness check stays open.
 */
export type RouteAuthorization = "jwt" | "none";

export interface RouteDefinition {
  readonly method: string;
  readonly path: string;
  readonly authorization: RouteAuthorization;
  /** OAuth scopes of which the token must carry at least one (only with "jwt"). @default none */
  readonly scopes?: readonly string[];
}

export const ROUTES = {
  createUser: { method: "POST", path: "/users", authorization: "jwt" },
  /** The caller's own record, e-mail included (only with a signed-in caller). */
  me: { method: "GET", path: "/users/me", authorization: "jwt" },
  getUser: { method: "GET", path: "/users/{userId}", authorization: "jwt" },
  listUsers: { method: "GET", path: "/users", authorization: "jwt" },
  health: { method: "GET", path: "/health", authorization: "none" },
} as const satisfies Record<string, RouteDefinition>;

export type RouteName = keyof typeof ROUTES;

/** The API Gateway route key of a route, e.g. "GET /users/{userId}". */
export function routeKey(name: RouteName): string {
  const r = ROUTES[name];
  return `${r.method} ${r.path}`;
}

/** Every route key the API declares. */
export const ROUTE_KEYS: readonly string[] = (Object.keys(ROUTES) as RouteName[]).map(routeKey);

/** The HTTP methods CORS allows: those of the routes, plus OPTIONS for preflights. */
export const CORS_METHODS: readonly string[] = [...new Set([...Object.values(ROUTES).map((r) => r.method), "OPTIONS"])];
