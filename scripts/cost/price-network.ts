/** What a VPC can cost by the hour: NAT gateways, public IPv4 addresses, interface endpoints, load balancers. */
import type { PricingContext } from "./context.js";
import { label } from "./ledger.js";
import { HOURS_PER_MONTH } from "./prices.js";
import { FIXED_ASSUMPTIONS } from "./traffic.js";

export function priceNetwork(ctx: PricingContext): void {
  const { ledger } = ctx;
  for (const nat of ctx.ofType("aws_nat_gateway")) {
    ledger.charge({
      service: "VPC",
      item: "NAT gateway hours",
      blocks: [nat],
      quantity: HOURS_PER_MONTH,
      price: "natHours",
      note: "billed every hour, with or without traffic",
    });
    ledger.charge({
      service: "VPC",
      item: `NAT data processed (${FIXED_ASSUMPTIONS.natGb} GB assumed)`,
      blocks: [nat],
      quantity: FIXED_ASSUMPTIONS.natGb,
      price: "natData",
    });
  }
  for (const eip of ctx.ofType("aws_eip")) {
    ledger.charge({
      service: "VPC",
      item: "public IPv4 address (Elastic IP)",
      blocks: [eip],
      quantity: HOURS_PER_MONTH,
      price: "publicIpv4",
      note: "billed in use or idle since 2024-02-01",
    });
  }
  for (const ep of ctx.ofType("aws_vpc_endpoint")) {
    const type = ep.body.vpc_endpoint_type ?? "Gateway"; // the provider's default
    if (type === "Gateway") {
      ledger.markFree(ep, "gateway endpoint (S3/DynamoDB): no charge");
      continue;
    }
    if (type !== "Interface") {
      ledger.markUnpriced(ep, `vpc_endpoint_type ${JSON.stringify(type)} is not in the price table`);
      continue;
    }
    const subnets = ep.body.subnet_ids;
    let azs = Array.isArray(subnets) ? subnets.length : 0;
    if (!Array.isArray(subnets) || subnets.some((s) => typeof s === "string" && s.includes("${") && s.includes("[*]"))) {
      azs = Math.max(azs, 1);
      ledger.warn(`${label(ep)}: subnet_ids is ${JSON.stringify(subnets)}; priced for ${azs} AZ (each further AZ adds $7.30/month)`);
    }
    ledger.charge({
      service: "VPC",
      item: `interface endpoint hours (${azs} AZ)`,
      blocks: [ep],
      quantity: azs * HOURS_PER_MONTH,
      price: "interfaceEndpointHours",
    });
    ledger.charge({
      service: "VPC",
      item: `interface endpoint data (${FIXED_ASSUMPTIONS.endpointGb} GB assumed)`,
      blocks: [ep],
      quantity: FIXED_ASSUMPTIONS.endpointGb,
      price: "interfaceEndpointData",
    });
  }
  for (const log of ctx.ofType("aws_flow_log")) {
    ledger.markUnpriced(log, "flow-log volume follows the VPC's traffic (vended-log ingest from $0.50/GB to CloudWatch, less to S3)");
  }
  for (const lb of [...ctx.ofType("aws_lb"), ...ctx.ofType("aws_alb")]) {
    if ((lb.body.load_balancer_type ?? "application") !== "application") {
      ledger.markUnpriced(lb, `load_balancer_type ${JSON.stringify(lb.body.load_balancer_type)} is not in the price table`);
      continue;
    }
    ledger.charge({
      service: "ELB",
      item: "application load balancer hours",
      blocks: [lb],
      quantity: HOURS_PER_MONTH,
      price: "albHours",
      note: "+ LCUs and one public IPv4 per AZ (not modelled)",
    });
  }
}
