/** npm run cost with sign-in: the user pool by monthly active users, after the free 10,000 MAUs. */
import { describe, expect, it } from "vitest";
import { readSynthesizedStacks } from "../../scripts/cost/stacks.js";
import { editedCopy, lines, priceConfig, priceStacks, synthConfig } from "./support.js";

const AUTH = { auth: "cognito" };

describe('npm run cost with auth: "cognito"', () => {
  it("prices the Lite pool by MAU: free up to 10,000, then Lite's bands", () => {
    const at = (mau: number) => lines(priceConfig(AUTH, { mau }), "Cognito");
    expect(at(1000)).toHaveLength(1);
    expect(at(1000)[0]).toMatchObject({ quantity: 1000, freeApplied: 1000, usd: 0 });
    expect(at(10_000)[0]!.usd).toBe(0);
    // 50,000 MAUs: 40,000 billed at $0.0055.
    expect(at(50_000)[0]!.usd).toBeCloseTo(220, 6);
    // 200,000 MAUs: 90,000 x $0.0055 + 100,000 x $0.0046.
    expect(at(200_000)[0]!.usd).toBeCloseTo(495 + 460, 6);
    expect(at(1000)[0]!.item).toContain("LITE plan");
  });

  it("the pool's client, login domain and the JWT authorizer cost nothing by themselves", () => {
    const e = priceConfig({ ...AUTH, domain: "example.com" });
    const free = e.free.map((f) => f.type);
    for (const type of ["aws_cognito_user_pool_client", "aws_cognito_user_pool_domain", "aws_apigatewayv2_authorizer"]) {
      expect(free, type).toContain(type);
    }
    expect(e.unpriced.filter((u) => /cognito|authorizer/.test(u.type))).toEqual([]);
  });

  it("a pool on Essentials or Plus is priced at its plan (Plus has no free tier)", () => {
    const outdir = synthConfig(AUTH);
    const onPlan = (tier: string) =>
      editedCopy(outdir, "app", (json) => {
        const pools = json.resource.aws_cognito_user_pool as Record<string, Record<string, unknown>>;
        for (const pool of Object.values(pools)) pool.user_pool_tier = tier;
      });
    const essentials = lines(priceStacks(readSynthesizedStacks(onPlan("ESSENTIALS")), { mau: 20_000 }), "Cognito")[0]!;
    expect(essentials.usd).toBeCloseTo(10_000 * 0.015, 6);
    const plus = lines(priceStacks(readSynthesizedStacks(onPlan("PLUS")), { mau: 20_000 }), "Cognito")[0]!;
    expect(plus.usd).toBeCloseTo(20_000 * 0.02, 6);
  });

  it("without sign-in there is no Cognito line, in either estimate", () => {
    const e = priceConfig({}, { mau: 50_000 });
    expect(lines(e, "Cognito")).toEqual([]);
    expect(e.classic.lines.map((l) => l.item)).not.toContain("Cognito user pool (same sign-in)");
  });

  it("the classic alternative signs its users in with the same pool", () => {
    const e = priceConfig(AUTH, { mau: 50_000 });
    expect(e.classic.lines.find((l) => l.item === "Cognito user pool (same sign-in)")?.usd).toBeCloseTo(220, 6);
  });
});
