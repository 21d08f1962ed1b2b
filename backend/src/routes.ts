/**
 * The API's routes, defined once. The same table feeds the Lambda handler's router, the API
 * Gateway routes of the app stack (so unknown paths never invoke the function) and the local
 * server of `npm run dev`. Keys are API Gateway route keys ("METHOD /path/{param}").
 *
 * `authorization` says who may call a route when the config's `auth` is "cognito": "jwt" routes
 * need a valid access token of the user pool (API Gateway's JWT authorizer, and its local mirror
 * in `npm run dev`, check it before the function runs), "none" routes stay open. With `auth`
 * "none" every route is open. `scopes`: the token must carry at least one of them (docs/auth.md).
 */
export const ROUTES = {
  // New routes go last: the app stack names each API Gateway route by its index here
  // (`route_<i>`), so an insertion would change the route key of every later, deployed route in
  // place instead of adding one. The routers match the most specific path first, whatever the order.
  createUser: { method: "POST", path: "/users", authorization: "jwt", scopes: ["openid"] },
  getUser: { method: "GET", path: "/users/{userId}", authorization: "jwt", scopes: ["openid"] },
  listUsers: { method: "GET", path: "/users", authorization: "jwt", scopes: ["openid"] },
  health: { method: "GET", path: "/health", authorization: "none" },
  /** The caller's own record, e-mail included (only a signed-in caller has one). */
  me: { method: "GET", path: "/users/me", authorization: "jwt", scopes: ["openid"] },
} as const satisfies Record<string, RouteDefinition>;

/** One route of the table. */
export interface RouteDefinition {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** "jwt": only callers with a valid token of the user pool (with `auth` "cognito"); "none": anyone. */
  authorization: "jwt" | "none";
  /**
   * With "jwt": the token's `scope` claim must hold at least one of these. Requiring a scope is
   * what refuses ID tokens (they carry no `scope` claim) and accepts only access tokens, as
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
   * recommends. Cognito puts the scopes the sign-in asked for (openid email profile) in the
   * access token's `scope` claim.
   */
  scopes?: readonly string[];
}

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
