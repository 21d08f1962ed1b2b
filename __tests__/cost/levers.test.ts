import { describe, expect, it } from "vitest";
import type { Estimate } from "../../scripts/cost/estimate.js";
import type { LineItem } from "../../scripts/cost/ledger.js";
import { readSynthesizedStacks } from "../../scripts/cost/stacks.js";
import { editedCopy, lines, priceConfig, priceStacks, sumUsd, synthConfig } from "./support.js";

const AT_10M = { requests: 10e6 };

/** "<service>: <first word of item>" of the lines whose cost differs between two estimates. */
function changedLines(a: Estimate, b: Estimate): string[] {
  const key = (l: LineItem) => `${l.service}: ${l.item.split(" ")[0]}|${l.resources.join()}`;
  const before = new Map(a.lines.map((l) => [key(l), l.usd]));
  const after = new Map(b.lines.map((l) => [key(l), l.usd]));
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).map((k) => k.split("|")[0]!);
}

describe("config levers change the lines they should, and only those", () => {
  it("lambda_memory: 1024 MB quadruples the GB-seconds; only the duration line moves", () => {
    const base = priceConfig({ lambda_memory: 256 }, AT_10M);
    const big = priceConfig({ lambda_memory: 1024 }, AT_10M);
    const [duration] = lines(big, "Lambda", "duration");
    expect(duration!.item).toContain("1024 MB");
    expect(duration!.quantity).toBeCloseTo(1_000_000); // 10M x 1 GB x 0.1 s
    expect(duration!.usd).toBeCloseTo(600_000 * 0.0000133334, 6); // after 400k free GB-s
    expect(changedLines(base, big)).toEqual(["Lambda: duration"]);
  });

  it("lambda_architecture x86_64 bills duration at the x86 rate (25% dearer than arm64)", () => {
    const arm = lines(priceConfig({ lambda_memory: 1024 }, AT_10M), "Lambda", "duration")[0]!;
    const x86 = lines(priceConfig({ lambda_memory: 1024, lambda_architecture: "x86_64" }, AT_10M), "Lambda", "duration")[0]!;
    expect(x86.item).toContain("x86_64");
    expect(x86.unitPrice).toContain("0.0000166667");
    expect(x86.usd).toBeCloseTo(600_000 * 0.0000166667, 6);
    expect(x86.usd / arm.usd).toBeCloseTo(1.25, 2);
  });

  it("cloudfront_price_class: PriceClass_All bills Asian viewers at Asian edges, PriceClass_100 serves them from North America", () => {
    const viewers = { na: 0.5, asia: 0.5 };
    const cheap = priceConfig({ cloudfront_price_class: "PriceClass_100" }, { ...AT_10M, viewers });
    const all = priceConfig({ cloudfront_price_class: "PriceClass_All" }, { ...AT_10M, viewers });
    // 2,000 GB - 1,000 free = 1,000 GB; 10M billable requests.
    expect(sumUsd(lines(cheap, "CloudFront", "data out"))).toBeCloseTo(1000 * 0.085, 6);
    expect(sumUsd(lines(all, "CloudFront", "data out"))).toBeCloseTo(500 * 0.085 + 500 * 0.12, 6);
    expect(sumUsd(lines(cheap, "CloudFront", "HTTPS"))).toBeCloseTo(10, 6);
    expect(sumUsd(lines(all, "CloudFront", "HTTPS"))).toBeCloseTo(500 * 0.01 + 500 * 0.012, 6);
    expect(lines(cheap, "CloudFront", "data out")[0]!.note).toMatch(/asia viewers served from North America/);
    expect(changedLines(cheap, all).sort()).toEqual(["CloudFront: HTTPS", "CloudFront: data"]);
  });

  it("with every viewer in North America (the bill's mix) the price class changes nothing", () => {
    const cheap = priceConfig({ cloudfront_price_class: "PriceClass_100" }, AT_10M);
    const all = priceConfig({ cloudfront_price_class: "PriceClass_All" }, AT_10M);
    expect(all.totalUsd).toBeCloseTo(cheap.totalUsd, 9);
  });

  it("logs_retention: a year keeps ~12x the archive of 30 days; ingest is unchanged", () => {
    const month = priceConfig({ logs_retention: 30 }, AT_10M);
    const year = priceConfig({ logs_retention: 365 }, AT_10M);
    const archive = (e: Estimate) => sumUsd(lines(e, "CloudWatch Logs", "archive"));
    expect(lines(year, "CloudWatch Logs", "archive").map((l) => l.item)).toEqual([
      "archive (365-day retention)",
      "archive (365-day retention)",
    ]);
    expect(archive(year) / archive(month)).toBeCloseTo(365 / 30, 6);
    expect(changedLines(month, year)).toEqual(["CloudWatch Logs: archive", "CloudWatch Logs: archive"]);
  });

  it("a NAT gateway and its Elastic IP (injected into the app stack) add their hourly cost", () => {
    const outdir = synthConfig({});
    const withNat = editedCopy(outdir, "app", (json) => {
      json.resource.aws_eip = { nat_ip: { domain: "vpc" } };
      json.resource.aws_nat_gateway = { nat: { allocation_id: "${aws_eip.nat_ip.id}", subnet_id: "${aws_subnet.x.id}" } };
    });
    const before = priceStacks(readSynthesizedStacks(outdir), AT_10M);
    const after = priceStacks(readSynthesizedStacks(withNat), AT_10M);
    expect(lines(after, "VPC").map((l) => [l.item, +l.usd.toFixed(3)])).toEqual([
      ["NAT gateway hours", 32.85],
      ["NAT data processed (5 GB assumed)", 0.225],
      ["public IPv4 address (Elastic IP)", 3.65],
    ]);
    expect(after.totalUsd - before.totalUsd).toBeCloseTo(36.725, 6);
  });

  it("a NAT gateway with count = 0 is not created, so not priced; with count = 2 the estimate says it priced one", () => {
    const nat = (count: number) =>
      priceStacks(
        readSynthesizedStacks(
          editedCopy(synthConfig({}), "app", (json) => {
            json.resource.aws_nat_gateway = { nat: { count, subnet_id: "${aws_subnet.x.id}" } };
          }),
        ),
      );
    expect(lines(nat(0), "VPC")).toEqual([]);
    expect(nat(0).free).toContainEqual({ resource: "app: aws_nat_gateway.nat", type: "aws_nat_gateway", reason: "count = 0: not created" });
    expect(nat(2).warnings).toContain("app: aws_nat_gateway.nat: count = 2; priced as one instance");
  });

  it("an interface endpoint costs per AZ; the stack's own DynamoDB gateway endpoint is free", () => {
    const outdir = synthConfig({});
    const base = priceStacks(readSynthesizedStacks(outdir));
    expect(base.free.find((f) => f.type === "aws_vpc_endpoint")?.reason).toMatch(/gateway endpoint/);
    const withInterface = editedCopy(outdir, "app", (json) => {
      (json.resource.aws_vpc_endpoint as Record<string, unknown>).ecr_api = {
        vpc_endpoint_type: "Interface",
        service_name: "com.amazonaws.us-east-1.ecr.api",
        subnet_ids: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"],
      };
    });
    const [hours] = lines(priceStacks(readSynthesizedStacks(withInterface)), "VPC", "interface endpoint hours");
    expect(hours!.item).toBe("interface endpoint hours (2 AZ)");
    expect(hours!.usd).toBeCloseTo(14.6, 6);
  });

  it("kms_customer_key and waf add a $1 key and a $5 web ACL + $1/rule + $0.60 per 1M inspected requests", () => {
    const e = priceConfig({ kms_customer_key: true, waf: true }, AT_10M);
    expect(lines(e, "KMS").map((l) => l.usd)).toEqual([1]);
    const waf = lines(e, "WAF");
    const rules = waf.find((l) => l.item.startsWith("rules"))!;
    expect(rules.quantity).toBeGreaterThan(0);
    expect(rules.usd).toBe(rules.quantity);
    expect(waf.find((l) => l.item === "web ACL")!.usd).toBe(5);
    expect(waf.find((l) => l.item.startsWith("requests"))!.usd).toBeCloseTo(20e6 * 0.6e-6, 6); // 20 CDN requests x 1M visits
  });

  it("a memory size Terraform only knows at plan time is reported, and priced at Lambda's default", () => {
    const outdir = editedCopy(synthConfig({}), "app", (json) => {
      for (const fn of Object.values(json.resource.aws_lambda_function!)) (fn as Record<string, unknown>).memory_size = "${var.memory}";
    });
    const e = priceStacks(readSynthesizedStacks(outdir), AT_10M);
    expect(e.warnings.join("\n")).toMatch(/memory_size is \$\{var\.memory\}.*128 MB/);
    expect(lines(e, "Lambda", "duration")[0]!.item).toContain("128 MB");
  });

  it("a resource type with no price rule is listed as not priced, not dropped", () => {
    const outdir = editedCopy(synthConfig({}), "app", (json) => {
      json.resource.aws_instance = { bastion: { instance_type: "t4g.nano", ami: "ami-123" } };
    });
    const e = priceStacks(readSynthesizedStacks(outdir));
    expect(e.unpriced).toContainEqual({
      resource: "app: aws_instance.bastion",
      type: "aws_instance",
      reason: "no price rule for this resource type",
    });
  });
});
