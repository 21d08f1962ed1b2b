import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";

export interface CloudfrontWafProps {
  readonly name: string;
  /** CloudFront web ACLs live in us-east-1. */
  readonly provider: TerraformProvider;
  /** Requests per 5 minutes from one IP before it is blocked. @default 1000 */
  readonly rateLimitPer5Min?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Optional WAF in front of CloudFront (CKV_AWS_68, and CKV2_AWS_47's Log4j rule sets). About
 * $5/month + $1 a rule + $0.60 per million requests, hence a toggle, off by default. HTTP APIs
 * cannot take WAF; their stage throttle is the API's cap.
 */
export class CloudfrontWaf extends Construct {
  readonly webAclArn: string;
  /** The aws_wafv2_web_acl; change any attribute with `addOverride` (docs/constructs.md). */
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: CloudfrontWafProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const managed = (name: string, priority: number) => ({
      name,
      priority,
      overrideAction: { none: {} },
      // The binding types `statement` as any (too deep to generate), so its keys go out verbatim: snake_case.
      statement: { managed_rule_group_statement: { name, vendor_name: "AWS" } },
      visibilityConfig: visibility(name),
    });
    const acl = new Wafv2WebAcl(this, "acl", {
      provider: props.provider,
      name: props.name,
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      rule: [
        managed("AWSManagedRulesCommonRuleSet", 1),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
        managed("AWSManagedRulesAnonymousIpList", 3),
        {
          name: "RateLimitPerIp",
          priority: 4,
          action: { block: {} },
          statement: { rate_based_statement: { limit: props.rateLimitPer5Min ?? 1000, aggregate_key_type: "IP" } },
          visibilityConfig: visibility("RateLimitPerIp"),
        },
      ],
      visibilityConfig: visibility(props.name),
      // Associated with the distribution, so a renamed ACL is created and swapped in before the old one goes.
      lifecycle: { createBeforeDestroy: true },
      tags: props.tags,
    });
    this.webAclArn = acl.arn;
    this.webAcl = acl;
  }
}
