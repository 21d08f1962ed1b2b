/** Vpc on its own: the defaults, the flow log, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { Vpc } from "../../modules/vpc.js";
import { synthConstruct } from "./support/synth.js";

describe("Vpc", () => {
  test("2 AZs by default: a public and a private subnet each, private route tables without a NAT, the default SG emptied", () => {
    const { resources, only } = synthConstruct((scope) => new Vpc(scope, "vpc", { name: "app" }));
    expect(only("aws_vpc")).toMatchObject({ cidr_block: "10.50.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    expect(Object.keys(resources.aws_subnet ?? {})).toHaveLength(4);
    expect(Object.keys(resources.aws_route_table ?? {})).toHaveLength(3); // public + one private per AZ
    expect(Object.keys(resources.aws_route ?? {})).toHaveLength(1); // the public route to the internet gateway
    expect(resources.aws_nat_gateway).toBeUndefined();
    expect(only("aws_default_security_group")).toMatchObject({ ingress: [], egress: [] });
    expect(resources.aws_flow_log).toBeUndefined();
  });

  test("enableFlowLog adds the flow log, its log group (30 days) and its role", () => {
    const { only } = synthConstruct(
      (scope) =>
        new Vpc(scope, "vpc", { name: "app", enableFlowLog: true, flowLogScope: { region: "eu-west-1", accountId: "123456789012" } }),
    );
    expect(only("aws_flow_log")).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    expect(only("aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/vpc-flow-log/app", retention_in_days: 30 });
    expect(only("aws_iam_role").name).toBe("app-vpc-flow-log");
  });

  test("exposed resources take overrides", () => {
    const { resources, only } = synthConstruct((scope) => {
      const vpc = new Vpc(scope, "vpc", { name: "app", azCount: 3 });
      vpc.vpc.instanceTenancy = "default";
      vpc.privateSubnets[2]!.addOverride("tags.Tier", "private");
    });
    expect(only("aws_vpc").instance_tenancy).toBe("default");
    const tiers = Object.values(resources.aws_subnet ?? {}).map((s) => s.tags.Tier);
    expect(tiers.filter((t) => t === "private")).toHaveLength(1);
  });
});
