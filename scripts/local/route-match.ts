/**
 * API Gateway HTTP API route selection for the local server: a request invokes the handler only
 * when its method and path match a declared route key ("METHOD /path/{param}" or "{proxy+}");
 * the most specific route wins, as on API Gateway (literal segments before parameters, greedy
 * last). Anything else is the gateway's own 404.
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
  /** Sort key: literal segments count most, then parameters; a greedy route comes last. */
  rank: number[];
}

export type RouteMatcher = (method: string, rawPath: string) => RouteMatch | undefined;

export function compileRoutes(routeKeys: readonly string[]): RouteMatcher {
  const routes: CompiledRoute[] = routeKeys.map((key) => {
    const match = /^([A-Z]+|ANY) (\/\S*)$/.exec(key);
    if (!match) throw new Error(`not an API Gateway route key: ${JSON.stringify(key)}`);
    const [, method, path] = match as unknown as [string, string, string];
    const segments = splitPath(path);
    const literals = segments.filter((s) => !s.startsWith("{")).length;
    const greedy = segments.some((s) => s.endsWith("+}")) ? 1 : 0;
    return { routeKey: key, method, segments, rank: [-greedy, literals, segments.length, method === "ANY" ? 0 : 1] };
  });
  routes.sort((a, b) => compareRank(b.rank, a.rank));

  return (method, rawPath) => {
    const requestSegments = splitPath(rawPath);
    for (const route of routes) {
      if (route.method !== method && route.method !== "ANY") continue;
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

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function matchSegments(route: string[], request: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.length; i++) {
    const segment = route[i]!;
    const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
    if (param?.[2] === "+") {
      const rest = request.slice(i);
      if (rest.length === 0) return undefined;
      params[param[1]!] = decode(rest.join("/"));
      return params;
    }
    const value = request[i];
    if (value === undefined) return undefined;
    if (param) {
      if (value === "") return undefined;
      params[param[1]!] = decode(value);
    } else if (segment !== value) {
      return undefined;
    }
  }
  return route.length === request.length ? params : undefined;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a malformed escape is passed on as sent, for the handler to refuse
  }
}
