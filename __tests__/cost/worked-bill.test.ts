import { describe, expect, it } from "vitest";
import { label } from "../../scripts/cost/ledger.js";
import { readSynthesizedStacks } from "../../scripts/cost/stacks.js";
import { lines, priceConfig, priceStacks, sumUsd, synthConfig, WORKED_BILL_CONFIG } from "./support.js";

const CENTS = 0.03;

describe("the worked bill of docs/cost.md, priced from the real stacks", () => {
  it.each([
    [0, 0.6],
    [1e6, 3.27],
    [10e6, 125.87],
  ])("at %d requests a month the stack with a domain (no PITR, as in the bill) totals about $%s", (requests, expected) => {
    const e = priceConfig(WORKED_BILL_CONFIG, { requests });
    expect(Math.abs(e.totalUsd - expected)).toBeLessThan(CENTS);
  });

  it("matches the bill line by line at 10M requests", () => {
    const e = priceConfig(WORKED_BILL_CONFIG, { requests: 10e6 });
    const usd = (service: string, item = "") => +sumUsd(lines(e, service, item)).toFixed(2);
    expect(usd("Lambda", "requests")).toBe(1.8);
    expect(usd("Lambda", "duration")).toBe(0);
    expect(lines(e, "Lambda", "duration")[0]!.quantity).toBeCloseTo(250_000);
    expect(usd("API Gateway", "HTTP API")).toBe(10);
    // Each create writes the table and its list index (docs/data-model.md).
    expect(usd("DynamoDB", "on-demand writes")).toBe(12.5);
    expect(usd("DynamoDB", "on-demand reads")).toBe(1.25);
    expect(usd("DynamoDB", "storage")).toBe(0);
    expect(usd("CloudFront", "data out")).toBe(85);
    expect(usd("CloudFront", "HTTPS requests")).toBe(10);
    expect(usd("CloudFront", "function invocations")).toBe(1.8);
    expect(usd("S3", "GETs")).toBe(0.4);
    expect(usd("Route 53")).toBe(0.5);
    expect(usd("ECR")).toBe(0.1);
    expect(usd("CloudWatch Logs", "ingest")).toBe(2.5);
    expect(lines(e, "DynamoDB", "point-in-time")).toEqual([]);
  });

  it("without a domain there is no hosted zone: exactly $0.50 less at every traffic level", () => {
    for (const requests of [0, 1e6, 10e6]) {
      const withDomain = priceConfig(WORKED_BILL_CONFIG, { requests });
      const without = priceConfig({ table_point_in_time_recovery: false }, { requests });
      expect(lines(without, "Route 53")).toEqual([]);
      expect(withDomain.totalUsd - without.totalUsd).toBeCloseTo(0.5, 6);
    }
  });

  it("prices the hosted zone as the domain's existing zone, looked up rather than created", () => {
    const [zone] = lines(priceConfig(WORKED_BILL_CONFIG), "Route 53");
    expect(zone!.item).toBe("hosted zone example.com");
    expect(zone!.resources).toEqual(["app: data.aws_route53_zone.zone"]);
    expect(zone!.note).toMatch(/looked up, not created/);
  });

  it("the default config keeps point-in-time recovery on: $0.20 per GB-month of table on top", () => {
    const e = priceConfig({}, { requests: 10e6 });
    const [pitr] = lines(e, "DynamoDB", "point-in-time");
    expect(pitr!.quantity).toBeCloseTo(10); // 10M new 1 KB items
    expect(pitr!.usd).toBeCloseTo(2.0, 6);
  });

  it.each([
    [0, 89.46],
    [1e6, 89.8],
    [10e6, 189.46],
  ])("the classic alternative at %d requests is about $%s (docs/cost.md, the classic stack)", (requests, expected) => {
    const e = priceConfig(WORKED_BILL_CONFIG, { requests });
    expect(Math.abs(e.classic.totalUsd - expected)).toBeLessThan(0.1);
  });

  it("accounts for every block of every stack: priced, free or listed as not priced", () => {
    const stacks = readSynthesizedStacks(
      synthConfig({ domain: "example.com", waf: true, kms_customer_key: true, access_logging: true, vpc_flow_logs: true }),
    );
    const e = priceStacks(stacks);
    const accounted = new Set([
      ...e.lines.flatMap((l) => l.resources),
      ...e.free.map((f) => f.resource),
      ...e.unpriced.map((u) => u.resource),
    ]);
    const declared = stacks.blocks.map(label);
    expect(declared.filter((d) => !accounted.has(d))).toEqual([]);
    // Listed once: a resource is never both free and unpriced.
    const listed = [...e.free, ...e.unpriced].map((x) => x.resource);
    expect(new Set(listed).size).toBe(listed.length);
    expect(e.unpriced.map((u) => u.type).sort()).toEqual(["aws_cloudwatch_log_group", "aws_flow_log", "aws_s3_bucket"]);
  });
});
