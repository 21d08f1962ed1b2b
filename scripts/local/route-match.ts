/**
 * API Gateway HTTP API route selection for the local server: a request invokes the handler only
 * when its method and path match a declared route key ("METHOD /path/{param}"); a route with more
 * literal segments wins over one with a parameter in their place, as on API Gateway. Anything else
 * is the gateway's own 404. Only what backend/src/routes.ts uses is supported: no ANY method, no
 * greedy {proxy+} (a route key using them is refused, so the local server never pretends).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */

export interface RouteMatch {
  routeKey: string;
  /** Decoded path parameters; undefined when the route has none (API Gateway omits the field). */
  pathParameters?: Record<string, string>;
}

interface CompiledRoute {
  routeKey: string;
  method: string;
  segments: string[];
  literals: number;
}

export type RouteMatcher = (method: string, rawPath: string) => RouteMatch | undefined;

export function compileRoutes(routeKeys: readonly string[]): RouteMatcher {
  const routes: CompiledRoute[] = routeKeys.map((key) => {
    const match = /^([A-Z]+) (\/[^\s+]*)$/.exec(key);
    if (!match || match[1] === "ANY") throw new Error(`not a route key the local server supports: ${JSON.stringify(key)}`);
    const segments = splitPath(match[2]!);
    return { routeKey: key, method: match[1]!, segments, literals: segments.filter((s) => !s.startsWith("{")).length };
  });
  routes.sort((a, b) => b.literals - a.literals);

  return (method, rawPath) => {
    const requestSegments = splitPath(rawPath);
    for (const route of routes) {
      if (route.method !== method) continue;
      const params = matchSegments(route.segments, requestSegments);
      if (params) {
        return Object.keys(params).length ? { routeKey: route.routeKey, pathParameters: params } : { routeKey: route.routeKey };
      }
    }
    return undefined;
  };
}

function splitPath(path: string): string[] {
  return path === "/" ? [] : path.slice(1).split("/");
}

function matchSegments(route: string[], request: string[]): Record<string, string> | undefined {
  if (route.length !== request.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < route.length; i++) {
    const segment = route[i]!;
    const value = request[i]!;
    const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
    if (param) {
      if (value === "") return undefined;
      params[param[1]!] = decode(value);
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a malformed escape is passed on as sent, for the handler to refuse
  }
}
