/**
 * The API's routes, defined once. The same table feeds the Lambda handler's router, the API
 * Gateway routes of the app stack (so unknown paths never invoke the function) and the local
 * server of `npm run dev`. Keys are API Gateway route keys ("METHOD /path/{param}").
 */
export const ROUTES = {
  createUser: { method: "POST", path: "/users" },
  getUser: { method: "GET", path: "/users/{userId}" },
  listUsers: { method: "GET", path: "/users" },
  health: { method: "GET", path: "/health" },
} as const;

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
