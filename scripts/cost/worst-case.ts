/**
 * The worst case `npm run cost -- --worst-case` prices: every API route served at its throttle
 * limit, every second of the month. The limits are read from the synthesized stage (its default
 * route settings and per-route settings), so the figure follows the config.
 *
 * An HTTP API's default route throttling applies to each route, and a route's own settings
 * replace it (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html;
 * per-stage limits "are applied at the API method level":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html),
 * so the API's ceiling is the sum of its routes' rates. Throttles are applied on a best-effort
 * basis, so this is the bill's design ceiling, not a guarantee to the request.
 */
import { routeKey as keyOf } from "../../backend/src/routes.js";
import { LIST_SHARDS } from "../../backend/src/table-definition.js";
import { LIST_LIMIT } from "../../backend/src/user-routes.js";
import { many, type TfBlock } from "../lib/tf-model.js";
import { HOURS_PER_MONTH } from "./prices.js";
import type { SynthesizedStacks } from "./stacks.js";

/** API Gateway's default account-level throttle per region, requests/s (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const ACCOUNT_RATE_LIMIT = 10_000;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export interface RouteRate {
  routeKey: string;
  requestsPerSecond: number;
  /** Where the rate comes from: the route's own settings, the stage default, or the account limit (no throttle). */
  from: "route settings" | "stage default" | "account limit";
}

export interface WorstCase {
  routes: RouteRate[];
  requestsPerSecond: number;
  seconds: number;
  requests: number;
}

/** The stacks have no API route to price at a throttle. */
export class NoThrottleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoThrottleError";
  }
}

const literalNumber = (v: unknown) =>
  typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;

/** Every route of every HTTP API stage at its throttle limit. Throws when the stacks declare no API route. */
export function worstCase(stacks: SynthesizedStacks, warn: (message: string) => void = () => {}): WorstCase {
  const of = (type: string) => stacks.blocks.filter((b) => b.mode === "resource" && b.type === type);
  const routes: RouteRate[] = [];
  for (const stage of of("aws_apigatewayv2_stage")) {
    const sameApi = (r: TfBlock) => r.stack === stage.stack && JSON.stringify(r.body.api_id) === JSON.stringify(stage.body.api_id);
    const defaults = many(stage.body.default_route_settings)[0];
    const defaultRate = literalNumber(defaults?.throttling_rate_limit);
    const perRoute = new Map(many(stage.body.route_settings).map((s) => [String(s.route_key), literalNumber(s.throttling_rate_limit)]));
    for (const route of of("aws_apigatewayv2_route").filter(sameApi)) {
      const routeKey = String(route.body.route_key);
      const own = perRoute.get(routeKey);
      if (own !== undefined) routes.push({ routeKey, requestsPerSecond: own, from: "route settings" });
      else if (defaultRate !== undefined) routes.push({ routeKey, requestsPerSecond: defaultRate, from: "stage default" });
      else {
        warn(
          `${stage.stack}: ${stage.address} sets no throttle for ${routeKey}: priced at the account limit of ${ACCOUNT_RATE_LIMIT} requests/s`,
        );
        routes.push({ routeKey, requestsPerSecond: ACCOUNT_RATE_LIMIT, from: "account limit" });
      }
    }
  }
  if (routes.length === 0)
    throw new NoThrottleError("--worst-case: the stacks declare no HTTP API stage with routes, so there is no throttle to price");
  // All APIs of an account and region share the account limit.
  const requestsPerSecond = Math.min(
    ACCOUNT_RATE_LIMIT,
    routes.reduce((sum, r) => sum + r.requestsPerSecond, 0),
  );
  return { routes, requestsPerSecond, seconds: SECONDS_PER_MONTH, requests: requestsPerSecond * SECONDS_PER_MONTH };
}

/**
 * DynamoDB work of one request to a route, at its most expensive: on-demand bills a write unit
 * per KB written, a read unit per 4 KB read strongly consistent, half that eventually consistent
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).
 * A route the backend does not declare is priced as one write and one read.
 */
export function routeDynamoUnits(routeKey: string, itemKb: number): { itemsWritten: number; readUnits: number } {
  switch (routeKey) {
    case keyOf("createUser"): // a conditional PutItem: write units only
      return { itemsWritten: 1, readUnits: 0 };
    case keyOf("getUser"): // GetItem, strongly consistent
    case keyOf("me"):
      return { itemsWritten: 0, readUnits: Math.ceil(itemKb / 4) };
    case keyOf("listUsers"): {
      // A page of LIST_LIMIT.max (+1 to know whether more follow) items from LIST_SHARDS queries of
      // the list index, eventually consistent (all a GSI offers), each rounded up to 4 KB.
      const perShard = Math.ceil((LIST_LIMIT.max + 1) / LIST_SHARDS);
      return { itemsWritten: 0, readUnits: (LIST_SHARDS * Math.ceil((perShard * itemKb) / 4)) / 2 };
    }
    case keyOf("health"): // answers without DynamoDB
      return { itemsWritten: 0, readUnits: 0 };
    default:
      return { itemsWritten: 1, readUnits: Math.ceil(itemKb / 4) };
  }
}
