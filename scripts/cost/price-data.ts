/** DynamoDB and S3: requests, storage and backups. */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { isExpression, many, type TfBlock } from "../lib/tf-model.js";
import type { PricingContext } from "./context.js";
import { label } from "./ledger.js";
import { apiFunctions } from "./price-compute.js";
import { FIXED_ASSUMPTIONS } from "./traffic.js";

/** Tables the API's functions name (by reference or by literal name in their settings). */
function apiTables(ctx: PricingContext, tables: TfBlock[]): TfBlock[] {
  const functions = apiFunctions(ctx);
  const used = tables.filter((t) =>
    functions.some(
      (f) => ctx.references(f, t) || (typeof t.body.name === "string" && JSON.stringify(f.body).includes(JSON.stringify(t.body.name))),
    ),
  );
  if (used.length === 0 && tables.length === 1 && functions.length > 0) return tables;
  return used;
}

export function priceDynamoDb(ctx: PricingContext): void {
  const { ledger, traffic } = ctx;
  const tables = ctx.ofType("aws_dynamodb_table");
  const used = apiTables(ctx, tables);
  for (const table of tables) {
    const mode = table.body.billing_mode ?? "PROVISIONED"; // the provider's default
    if (mode !== "PAY_PER_REQUEST") {
      ledger.markUnpriced(table, `billing_mode ${JSON.stringify(mode)}: only on-demand tables are priced`);
      continue;
    }
    const requests = used.includes(table) ? traffic.requests / used.length : 0;
    // One write and one strongly consistent read per API request (the worked bill's model):
    // a write unit covers 1 KB, a read unit 4 KB.
    const gsis = many(table.body.global_secondary_index).length;
    const writing = requests * (traffic.writesPerRequest ?? 1);
    const writes = writing * Math.ceil(traffic.itemKb) * (1 + gsis);
    const reads = requests * (traffic.readUnitsPerRequest ?? Math.ceil(traffic.itemKb / 4));
    // Storage: this month's writes, each a new item (an upper bound for month one).
    const storedGb = (writing * traffic.itemKb) / 1e6;
    const gsiNote = gsis ? `${gsis} global secondary index(es) replicate each write` : undefined;
    ledger.charge({
      service: "DynamoDB",
      item: "on-demand writes",
      blocks: [table],
      quantity: writes,
      price: "dynamoWrites",
      note: gsiNote,
    });
    ledger.charge({ service: "DynamoDB", item: "on-demand reads", blocks: [table], quantity: reads, price: "dynamoReads" });
    ledger.charge({
      service: "DynamoDB",
      item: "storage (a new item per write)",
      blocks: [table],
      quantity: storedGb,
      price: "dynamoStorage",
      free: "dynamoStorageGb",
    });
    const pitr = many(table.body.point_in_time_recovery)[0]?.enabled;
    if (pitr === true) {
      ledger.charge({ service: "DynamoDB", item: "point-in-time recovery", blocks: [table], quantity: storedGb, price: "dynamoPitr" });
    } else if (isExpression(pitr)) {
      ledger.warn(`${label(table)}: point_in_time_recovery.enabled is ${pitr}; PITR ($0.20/GB-month) not priced`);
    }
    if (table.body.server_side_encryption && many(table.body.server_side_encryption)[0]?.kms_key_arn) {
      ledger.warn(`${label(table)}: a customer KMS key adds KMS request charges per read and write (not priced)`);
    }
  }
}

/** Buckets a CloudFront distribution reads from: they serve the web app. */
function siteBuckets(ctx: PricingContext): Set<TfBlock> {
  const sites = new Set<TfBlock>();
  for (const d of ctx.ofType("aws_cloudfront_distribution")) {
    for (const origin of many(d.body.origin)) for (const b of ctx.referenced(d, origin, "aws_s3_bucket")) sites.add(b);
  }
  return sites;
}

/** Bytes the stack uploads to a bucket (asset files and inline content), or undefined if unknown. */
function uploadedBytes(ctx: PricingContext, bucket: TfBlock, objects: TfBlock[]): number | undefined {
  let bytes = 0;
  // a for_each object counts once per file of the build (the kept release is already stored)
  const uploads = objects
    .filter((o) => ctx.references(o, bucket))
    .flatMap((o) => ctx.stacks.model.instances(o).map(({ body }) => ({ o, body })));
  for (const { o, body } of uploads) {
    const { source, content } = body;
    if (typeof source === "string" && !isExpression(source)) {
      try {
        bytes += statSync(resolve(ctx.stacks.stackDirs[o.stack] ?? ".", source)).size;
      } catch {
        return undefined;
      }
    } else if (typeof content === "string") {
      bytes += Buffer.byteLength(content); // an expression's text: close enough for a small config file
    } else {
      return undefined;
    }
  }
  return bytes;
}

export function priceS3(ctx: PricingContext): void {
  const { ledger } = ctx;
  const sites = siteBuckets(ctx);
  const objects = ctx.ofType("aws_s3_object");
  for (const bucket of ctx.ofType("aws_s3_bucket")) {
    if (!sites.has(bucket)) {
      ledger.markUnpriced(bucket, "not a CloudFront origin: its storage and requests depend on what gets written (e.g. logs)");
      continue;
    }
    const share = 1 / sites.size;
    const bytes = uploadedBytes(ctx, bucket, objects);
    const mb = bytes === undefined || bytes === 0 ? FIXED_ASSUMPTIONS.siteMb : bytes / 1e6;
    ledger.charge({
      service: "S3",
      item: bytes ? `storage (${+mb.toFixed(2)} MB uploaded by the stack)` : `storage (${mb} MB site assumed)`,
      blocks: [bucket],
      quantity: mb / 1000,
      price: "s3Storage",
    });
    ledger.charge({
      service: "S3",
      item: `GETs on cache misses (${+(100 * (1 - ctx.traffic.cacheHit)).toFixed(2)}%)`,
      blocks: [bucket],
      quantity: ctx.derived.originGets * share,
      price: "s3Get",
    });
  }
  // Objects are counted in the site's size above; each upload is a PUT per deploy (cents per thousand).
  for (const o of objects) ledger.markFree(o, "web asset, counted in the site's storage");
}
