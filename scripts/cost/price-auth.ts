/** Cognito user pools: monthly active users by feature plan, after the account's free MAUs. */
import type { PricingContext } from "./context.js";
import type { PriceId } from "./prices.js";

/** The plan AWS gives a pool that names none (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html). */
const DEFAULT_TIER = "ESSENTIALS";
const TIER_PRICES: Record<string, PriceId> = { LITE: "cognitoMauLite", ESSENTIALS: "cognitoMauEssentials", PLUS: "cognitoMauPlus" };

export function priceCognito(ctx: PricingContext): void {
  const { ledger, traffic } = ctx;
  for (const pool of ctx.ofType("aws_cognito_user_pool")) {
    const declared = pool.body.user_pool_tier;
    const tier = typeof declared === "string" && TIER_PRICES[declared] ? declared : DEFAULT_TIER;
    if (declared !== undefined && tier !== declared) {
      ledger.warn(
        `${pool.stack}/${pool.address}: user_pool_tier ${JSON.stringify(declared)} is not a literal plan; priced as ${DEFAULT_TIER}`,
      );
    }
    ledger.charge({
      service: "Cognito",
      item: `user pool, ${tier} plan (${traffic.mau.toLocaleString("en-US")} monthly active users)`,
      blocks: [pool],
      quantity: traffic.mau,
      price: TIER_PRICES[tier]!,
      // Plus has no free tier; Lite and Essentials share the account's 10,000 free MAUs.
      ...(tier === "PLUS" ? {} : { free: "cognitoMau" as const }),
      note: "e-mail from Cognito's own sender is free (50 a day); SMS would be billed by Amazon SNS",
    });
  }
}
