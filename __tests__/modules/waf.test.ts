/** CloudfrontWaf on its own: the defaults, and one attribute changed through an exposed resource. */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { describe, expect, test } from "vitest";
import { CloudfrontWaf } from "../../modules/waf.js";
import { synthConstruct } from "./support/synth.js";

const build = (scope: Construct) =>
  new CloudfrontWaf(scope, "waf", {
    name: "web",
    provider: new AwsProvider(scope, "us_east_1", { region: "us-east-1", alias: "us_east_1" }),
  });

describe("CloudfrontWaf", () => {
  test("CloudFront scope, three AWS managed rule groups and a per-IP rate limit by default", () => {
    const acl = synthConstruct(build).only("aws_wafv2_web_acl");
    expect(acl.scope).toBe("CLOUDFRONT");
    expect(acl.rule.map((r: { name: string }) => r.name)).toEqual([
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesAnonymousIpList",
      "RateLimitPerIp",
    ]);
    expect(acl.rule[3].statement.rate_based_statement).toEqual({ limit: 1000, aggregate_key_type: "IP" });
  });

  test("an exposed resource takes an override", () => {
    const acl = synthConstruct((scope) => build(scope).webAcl.addOverride("description", "edge ACL")).only("aws_wafv2_web_acl");
    expect(acl.description).toBe("edge ACL");
  });
});
