/**
 * The Lambda quotas of the account, checked before anything changes: what AWS would otherwise
 * refuse half-way through the app stack's apply (reserved concurrency, memory), and a throttle the
 * account's concurrency cannot serve.
 *
 * - "You can reserve up to the Unreserved account concurrency value that is shown, minus 100 for
 *   functions that don't have reserved concurrency":
 *   https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 * - "New AWS accounts have reduced concurrency and memory quotas. AWS raises these quotas
 *   automatically based on your usage.": https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 *   The default concurrency quota is 1,000 (same page); GetAccountSettings reports the account's
 *   own (https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html). No API reports
 *   the memory quota: accounts on the reduced profile answer MemorySize above 3008 MB with
 *   "'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 3008"
 *   (e.g. https://github.com/alexcasalboni/aws-lambda-power-tuning/pull/181), so a concurrency
 *   quota below the default is taken as the sign of that profile.
 */
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { ROUTE_KEYS } from "../../backend/src/routes.js";
import { stageThrottles } from "../../stacks/api-throttles.js";
import type { AppConfig } from "../../stacks/config.js";
import { stageName } from "../../stacks/config.js";
import { isNamed, using } from "./aws.js";
import { StepProblem, type StepRunner } from "./steps.js";

/** Lambda keeps this much concurrency unreserved for the functions without a reservation. */
export const MIN_UNRESERVED_CONCURRENCY = 100;
/** The default concurrency quota; an account below it is on the reduced new-account profile. */
export const DEFAULT_CONCURRENCY_QUOTA = 1000;
/** The largest memory size accounts on the reduced profile accept. */
export const REDUCED_PROFILE_MAX_MEMORY_MB = 3008;

export interface LambdaAccountSettings {
  /** AccountLimit.ConcurrentExecutions: the account's concurrency quota in this region. */
  concurrentExecutions: number;
  /** AccountLimit.UnreservedConcurrentExecutions: what no function has reserved. */
  unreservedConcurrentExecutions: number;
  /** What the stage's own function reserves today (0 when it does not exist or reserves nothing). */
  currentReservation: number;
}

export interface QuotaAssessment {
  /** Config values the account would refuse at apply time: each one stops the deploy. */
  refusals: string[];
  /** Settings that deploy but will not behave as configured. */
  warnings: string[];
}

type QuotaConfig = Pick<
  AppConfig,
  | "lambda_reserved_concurrency"
  | "lambda_memory"
  | "api_throttling_rate_limit"
  | "api_throttling_burst_limit"
  | "api_write_rate_limit"
  | "api_write_burst_limit"
>;

/**
 * The most requests a second the API lets through to the function: every route has its own
 * throttle bucket (the stage's default route settings, or the route's own settings), so the
 * ceiling is their sum (docs/operations.md, "A bill that cannot run away").
 */
export function apiCeiling(config: QuotaConfig, routeKeys?: readonly string[]): { rate: number; parts: string } {
  const throttles = stageThrottles(config, routeKeys);
  const keys = routeKeys ?? ROUTE_KEYS;
  const own = Object.entries(throttles.routes);
  const shared = keys.length - own.length;
  const rate = shared * throttles.default.rateLimit + own.reduce((sum, [, t]) => sum + t.rateLimit, 0);
  const parts = [
    ...(shared ? [`${throttles.default.rateLimit}/s on each of ${shared} route${shared === 1 ? "" : "s"}`] : []),
    ...own.map(([key, t]) => `${t.rateLimit}/s on ${key}`),
  ].join(", ");
  return { rate, parts };
}

/** Compares the config with the account's Lambda quotas (pure: the numbers come from GetAccountSettings). */
export function assessLambdaQuotas(config: QuotaConfig, account: LambdaAccountSettings): QuotaAssessment {
  const refusals: string[] = [];
  const warnings: string[] = [];
  // The function's own reservation is already subtracted from the unreserved pool; a re-deploy frees it first.
  const reservable = account.unreservedConcurrentExecutions + account.currentReservation;
  const reserved = config.lambda_reserved_concurrency;
  if (reserved !== undefined && reservable - reserved < MIN_UNRESERVED_CONCURRENCY) {
    const most = reservable - MIN_UNRESERVED_CONCURRENCY;
    refusals.push(
      `lambda_reserved_concurrency ${reserved} would leave ${reservable - reserved} unreserved concurrency; Lambda keeps at least ` +
        `${MIN_UNRESERVED_CONCURRENCY} unreserved (this account has ${reservable} to share, quota ${account.concurrentExecutions}). ` +
        (most > 0 ? `Set it to ${most} or less, ` : "This account cannot reserve any: ") +
        `remove the key, or request a higher "Concurrent executions" quota in Service Quotas.`,
    );
  }
  const reducedProfile = account.concurrentExecutions < DEFAULT_CONCURRENCY_QUOTA;
  if (reducedProfile && config.lambda_memory > REDUCED_PROFILE_MAX_MEMORY_MB) {
    refusals.push(
      `lambda_memory ${config.lambda_memory} MB is above ${REDUCED_PROFILE_MAX_MEMORY_MB} MB, which accounts on the reduced new-account ` +
        `Lambda quotas refuse (this one has a concurrency quota of ${account.concurrentExecutions}, below the default ${DEFAULT_CONCURRENCY_QUOTA}). ` +
        `Set lambda_memory to ${REDUCED_PROFILE_MAX_MEMORY_MB} or less until AWS raises the account's quotas.`,
    );
  }
  // Little's law: at the throttle's rate, requests in flight = rate x duration. The function can run
  // `available` at once, so requests longer than available/rate seconds are throttled by Lambda.
  const available = reserved ?? reservable;
  const { rate, parts } = apiCeiling(config);
  if (rate > available) {
    const ms = Math.floor((1000 * available) / rate);
    warnings.push(
      `the API's throttles let ${rate} requests/s through (${parts}), but the function can run only ${available} at once ` +
        `(${reserved !== undefined ? "lambda_reserved_concurrency" : `unreserved concurrency, account quota ${account.concurrentExecutions}`}): ` +
        `at that rate any request taking longer than ${ms} ms is throttled and fails. Lower api_throttling_rate_limit and api_write_rate_limit ` +
        `until their sum over the routes is ${available} or less, or request a higher "Concurrent executions" quota in Service Quotas.`,
    );
  }
  return { refusals, warnings };
}

/** GetAccountSettings plus the stage function's current reservation (GetFunctionConcurrency). */
export async function lambdaAccountSettings(region: string, functionName: string): Promise<LambdaAccountSettings> {
  return using(new LambdaClient({ region }), async (lambda) => {
    const limit = (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit;
    let currentReservation = 0;
    try {
      const own = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
      currentReservation = own.ReservedConcurrentExecutions ?? 0;
    } catch (err) {
      if (!isNamed(err, "ResourceNotFoundException")) throw err;
    }
    return {
      concurrentExecutions: limit?.ConcurrentExecutions ?? 0,
      unreservedConcurrentExecutions: limit?.UnreservedConcurrentExecutions ?? 0,
      currentReservation,
    };
  });
}

/** The deploy step: refuses what the account would refuse, warns about a throttle it cannot serve. */
export async function checkLambdaQuotas(runner: StepRunner, config: AppConfig): Promise<void> {
  const region = config.aws_region;
  const functionName = stageName(config, config.lambda_name);
  const warnings = await runner.act({
    title: `check the account's Lambda quotas in ${region}`,
    action: `AWS Lambda GetAccountSettings (region ${region}) + GetFunctionConcurrency (${functionName})`,
    hint: "check that your credentials may call lambda:GetAccountSettings and lambda:GetFunctionConcurrency",
    dryRunValue: [] as string[],
    run: async () => {
      const account = await lambdaAccountSettings(region, functionName);
      const { refusals, warnings } = assessLambdaQuotas(config, account);
      if (refusals.length) {
        throw new StepProblem(
          refusals.join("\n"),
          "change the config as said above (nothing was changed in AWS), then re-run; the Service Quotas console shows the account's Lambda quotas",
        );
      }
      return warnings;
    },
    summary: (w) => (w.length ? `${w.length} warning(s)` : "within the account's quotas"),
  });
  for (const warning of warnings) runner.say(`  ! warning: ${warning}`);
}
