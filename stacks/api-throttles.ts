/**
 * The API stage's throttles as the config sets them: one source for the app stack, which applies
 * them, and for `npm run resume`, which restores them after the spend stop zeroed them.
 */
import { ROUTE_KEYS } from "../backend/src/routes.js";
import type { AppConfig } from "./config.js";

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface StageThrottles {
  /** The stage's default route settings: every route without settings of its own. */
  readonly default: Throttle;
  /** Routes with their own settings (the write routes), by route key. */
  readonly routes: Readonly<Record<string, Throttle>>;
}

type ThrottleConfig = Pick<
  AppConfig,
  "api_throttling_rate_limit" | "api_throttling_burst_limit" | "api_write_rate_limit" | "api_write_burst_limit"
>;

export function stageThrottles(config: ThrottleConfig, routeKeys: readonly string[] = ROUTE_KEYS): StageThrottles {
  return {
    default: { rateLimit: config.api_throttling_rate_limit, burstLimit: config.api_throttling_burst_limit },
    routes: Object.fromEntries(
      routeKeys
        .filter((key) => key.startsWith("POST "))
        .map((key) => [key, { rateLimit: config.api_write_rate_limit, burstLimit: config.api_write_burst_limit }]),
    ),
  };
}
