/** Lambda and API Gateway: the per-request part of the bill. */

import { isExpression, many, type TfBlock } from "../lib/tf-model.js";
import type { PricingContext } from "./context.js";
import { label } from "./ledger.js";
import { numberAttr } from "./stacks.js";
import { FIXED_ASSUMPTIONS } from "./traffic.js";

/** Lambda's own defaults when the attribute is absent (hashicorp/aws 5.x). */
const LAMBDA_DEFAULT_MEMORY_MB = 128;
const LAMBDA_DEFAULT_ARCH = "x86_64";

/** Functions an API integration invokes: they carry the API traffic. */
export function apiFunctions(ctx: PricingContext): TfBlock[] {
  const functions = ctx.ofType("aws_lambda_function");
  const integrations = [...ctx.ofType("aws_apigatewayv2_integration"), ...ctx.ofType("aws_api_gateway_integration")];
  const invoked = new Set<TfBlock>();
  for (const i of integrations) for (const f of ctx.referenced(i, i.body, "aws_lambda_function")) invoked.add(f);
  if (invoked.size === 0 && integrations.length > 0 && functions.length === 1) {
    ctx.ledger.warn(`${label(functions[0]!)}: no API integration names it literally; priced as the API's function`);
    invoked.add(functions[0]!);
  }
  return [...invoked];
}

function memoryOf(ctx: PricingContext, fn: TfBlock): number {
  const memory = numberAttr(fn.body, "memory_size");
  if (memory === undefined) return LAMBDA_DEFAULT_MEMORY_MB;
  if (typeof memory === "number") return memory;
  ctx.ledger.warn(
    `${label(fn)}: memory_size is ${memory.expression}, unknown until plan; priced at Lambda's default ${LAMBDA_DEFAULT_MEMORY_MB} MB`,
  );
  return LAMBDA_DEFAULT_MEMORY_MB;
}

function architectureOf(ctx: PricingContext, fn: TfBlock): "arm64" | "x86_64" {
  const value = fn.body.architectures;
  if (value === undefined) return LAMBDA_DEFAULT_ARCH;
  if (Array.isArray(value) && (value[0] === "arm64" || value[0] === "x86_64")) return value[0];
  ctx.ledger.warn(`${label(fn)}: architectures is ${JSON.stringify(value)}, unknown until plan; priced as x86_64 (the dearer one)`);
  return "x86_64";
}

export function priceLambda(ctx: PricingContext): void {
  const { ledger, traffic } = ctx;
  const invoked = apiFunctions(ctx);
  if (invoked.length > 1) ledger.warn(`${invoked.length} functions behind the API: the requests are split evenly between them`);
  for (const fn of ctx.ofType("aws_lambda_function")) {
    if (!invoked.includes(fn)) {
      ledger.markFree(fn, "no API route invokes it: billed per request, $0 at rest");
      continue;
    }
    const requests = traffic.requests / invoked.length;
    const memoryMb = memoryOf(ctx, fn);
    const arch = architectureOf(ctx, fn);
    const gbSeconds = requests * (memoryMb / 1024) * (traffic.durationMs / 1000);
    ledger.charge({
      service: "Lambda",
      item: "requests",
      blocks: [fn],
      quantity: requests,
      price: "lambdaRequests",
      free: "lambdaRequests",
    });
    ledger.charge({
      service: "Lambda",
      item: `duration (${arch}, ${memoryMb} MB, ${traffic.durationMs} ms)`,
      blocks: [fn],
      quantity: gbSeconds,
      price: arch === "arm64" ? "lambdaDurationArm" : "lambdaDurationX86",
      free: "lambdaGbSeconds",
    });
    const reserved = numberAttr(fn.body, "reserved_concurrent_executions");
    if (typeof reserved === "number" && reserved >= 0) {
      // Reserved concurrency is free; worth saying because it caps the worst-case bill.
      ledger.lines.at(-1)!.note = `reserved concurrency ${reserved} caps parallel runs (no charge)`;
    }
    const tracing = many(fn.body.tracing_config)[0]?.mode;
    if (tracing === "Active")
      ledger.warn(`${label(fn)}: X-Ray active tracing is on; traces beyond the free 100k/month are not priced here`);
  }
}

export function priceApiGateway(ctx: PricingContext): void {
  const { ledger, traffic } = ctx;
  const httpApis = ctx.ofType("aws_apigatewayv2_api");
  const restApis = ctx.ofType("aws_api_gateway_rest_api");
  const all = [...httpApis, ...restApis];
  for (const api of all) {
    const share = traffic.requests / all.length;
    const protocol = api.body.protocol_type;
    if (api.type === "aws_apigatewayv2_api" && protocol !== "HTTP") {
      ledger.markUnpriced(api, `protocol_type ${JSON.stringify(protocol)}: only HTTP APIs are priced`);
      continue;
    }
    // Requests are metered in 512 KB increments; responses here are a few KB, so one unit each.
    ledger.charge({
      service: "API Gateway",
      item: api.type === "aws_apigatewayv2_api" ? "HTTP API requests" : "REST API requests",
      blocks: [api],
      quantity: share,
      price: api.type === "aws_apigatewayv2_api" ? "httpApiRequests" : "restApiRequests",
    });
    ledger.charge({
      service: "API Gateway",
      item: `data out (${FIXED_ASSUMPTIONS.responseKb} KB/response)`,
      blocks: [api],
      quantity: (share * FIXED_ASSUMPTIONS.responseKb) / 1e6,
      price: "dataTransferOut",
      free: "dataTransferOutGb",
    });
  }
  for (const stage of ctx.ofType("aws_apigatewayv2_stage")) {
    const settings = many(stage.body.default_route_settings)[0];
    if (settings?.detailed_metrics_enabled === true || isExpression(settings?.detailed_metrics_enabled)) {
      ledger.warn(`${label(stage)}: detailed route metrics are billed as CloudWatch custom metrics (not priced here)`);
    }
  }
}
