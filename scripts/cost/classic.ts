/**
 * The "classic" alternative (docs/cost.md, "The classic stack") for the same traffic: one ALB (2 AZs),
 * one Fargate task (0.5 vCPU, 1 GB, ARM), RDS db.t4g.micro Single-AZ with 20 GB gp3 and one NAT
 * gateway, plus the same frontend, DNS, registry, logs and user pool as the serverless estimate.
 */
import type { LineItem } from "./ledger.js";
import { costOf, HOURS_PER_MONTH, PRICES } from "./prices.js";
import type { TrafficProfile } from "./traffic.js";

export interface ClassicLine {
  item: string;
  usd: number;
}

export interface ClassicEstimate {
  description: string;
  lines: ClassicLine[];
  totalUsd: number;
}

const SHAPE = { albAzs: 2, fargateVcpu: 0.5, fargateGb: 1, rdsGb: 20, natGb: 5, lcuAt10M: 0.05 } as const;

export function classicAlternative(serverless: LineItem[], traffic: TrafficProfile): ClassicEstimate {
  const sum = (services: string[]) => serverless.filter((l) => services.includes(l.service)).reduce((s, l) => s + l.usd, 0);
  const hourly = (id: keyof typeof PRICES, units = 1) => costOf(PRICES[id], HOURS_PER_MONTH * units);
  // The worked comparison assumes under 0.05 LCU on average at 10M requests a month; LCUs scale with traffic.
  const lcu = SHAPE.lcuAt10M * (traffic.requests / 10e6);
  const lines: ClassicLine[] = [
    { item: "ALB hours", usd: hourly("albHours") },
    { item: `ALB LCU (${+lcu.toFixed(3)} avg)`, usd: hourly("albLcu", lcu) },
    { item: `ALB public IPv4 (${SHAPE.albAzs} AZ)`, usd: hourly("publicIpv4", SHAPE.albAzs) },
    {
      item: `Fargate ${SHAPE.fargateVcpu} vCPU + ${SHAPE.fargateGb} GB ARM, 1 task`,
      usd: hourly("fargateArmVcpu", SHAPE.fargateVcpu) + hourly("fargateArmGb", SHAPE.fargateGb),
    },
    { item: "NAT gateway hours", usd: hourly("natHours") },
    { item: "NAT public IPv4", usd: hourly("publicIpv4") },
    { item: `NAT data (${SHAPE.natGb} GB)`, usd: costOf(PRICES.natData, SHAPE.natGb) },
    { item: "RDS db.t4g.micro Single-AZ", usd: hourly("rdsT4gMicro") },
    { item: `RDS gp3 ${SHAPE.rdsGb} GB`, usd: costOf(PRICES.rdsGp3, SHAPE.rdsGb) },
    { item: "Route 53 + ECR (same as serverless)", usd: sum(["Route 53", "ECR"]) },
    { item: "CloudWatch Logs (same ingest)", usd: sum(["CloudWatch Logs"]) },
    { item: "Frontend: CloudFront + S3 (same)", usd: sum(["CloudFront", "S3"]) },
    // The classic stack signs its users in too (auth: "cognito"): the same pool, the same MAUs.
    ...(serverless.some((l) => l.service === "Cognito") ? [{ item: "Cognito user pool (same sign-in)", usd: sum(["Cognito"]) }] : []),
  ];
  return {
    description: "ALB + 1 Fargate task + RDS db.t4g.micro + NAT gateway (docs/cost.md)",
    lines,
    totalUsd: lines.reduce((s, l) => s + l.usd, 0),
  };
}
