import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ROUTE_KEYS, ROUTES, type RouteName, routeKey } from "./routes.js";

export type RouteMatch =
  | { kind: "route"; name: RouteName; pathParameters: Record<string, string | undefined> }
  | { kind: "wrongMethod"; allow: string[] }
  | { kind: "none" };

/** Routes with more literal segments first, as API Gateway selects ("/users/me" before "/users/{userId}"). */
const ROUTE_NAMES = (Object.keys(ROUTES) as RouteName[]).sort((a, b) => literalSegments(b) - literalSegments(a));

function literalSegments(name: RouteName): number {
  return ROUTES[name].path.split("/").filter((part) => part !== "" && !part.startsWith("{")).length;
}

/** "/users/{userId}" -> /^\/users\/(?<userId>[^/]+)$/ */
function pathPattern(template: string): RegExp {
  const source = template
    .split("/")
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part)?.[1];
      return param ? `(?<${param}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}

const PATTERNS = new Map(ROUTE_NAMES.map((name) => [name, pathPattern(ROUTES[name].path)]));

/**
 * Which route an event is for. API Gateway only invokes the function for declared routes and
 * says which in `routeKey`; anything else (a `$default` route, a hand-made event) is matched
 * on method and path defensively, so it still gets a correct 404 or 405 + Allow.
 */
export function matchRoute(event: APIGatewayProxyEventV2): RouteMatch {
  if (ROUTE_KEYS.includes(event.routeKey)) {
    const name = ROUTE_NAMES.find((n) => routeKey(n) === event.routeKey)!;
    return { kind: "route", name, pathParameters: event.pathParameters ?? {} };
  }
  const method = event.requestContext?.http?.method?.toUpperCase() ?? "";
  const path = event.rawPath ?? "";
  const allow = new Set<string>();
  for (const name of ROUTE_NAMES) {
    const m = PATTERNS.get(name)!.exec(path);
    if (!m) continue;
    if (ROUTES[name].method !== method) {
      allow.add(ROUTES[name].method);
      continue;
    }
    const pathParameters: Record<string, string | undefined> = {};
    for (const [key, raw] of Object.entries(m.groups ?? {})) {
      try {
        pathParameters[key] = decodeURIComponent(raw);
      } catch {
        pathParameters[key] = raw; // left encoded: the route's validation refuses it
      }
    }
    return { kind: "route", name, pathParameters };
  }
  return allow.size > 0 ? { kind: "wrongMethod", allow: [...allow].sort() } : { kind: "none" };
}
