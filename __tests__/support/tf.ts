/** Small readers over one stack's synthesized Terraform JSON, for the synth tests (on the shared model). */
import { type TfJson, TfModel } from "../../scripts/lib/tf-model.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Block = Record<string, any>;

/** Every resource of a type, with its logical name. */
export function resources(stack: TfJson, type: string): Array<{ name: string; body: Block }> {
  return new TfModel({ stack }).resources(type);
}

/** Every data source of a type, with its logical name. */
export function dataSources(stack: TfJson, type: string): Array<{ name: string; body: Block }> {
  return new TfModel({ stack }).data(type);
}

/** The one resource of a type; fails when there are none or several. */
export function single(stack: TfJson, type: string): Block {
  const all = resources(stack, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!.body;
}

/** Number of resources of a type. */
export function count(stack: TfJson, type: string): number {
  return resources(stack, type).length;
}

/**
 * The S3 objects a first deploy of this build would put, by key, with their logical address: the
 * single objects, and each instance of a `for_each` object (modules/web-assets.ts) with `each.key`
 * and `each.value.<x>` filled in from the build's file map (a kept release is not in it).
 */
export function plannedObjects(stack: TfJson): Record<string, Block> {
  const model = new TfModel({ stack });
  const out: Record<string, Block> = {};
  for (const block of model.resources("aws_s3_object")) {
    for (const { key, body } of model.instances(block)) {
      out[body.key] = { ...body, name: key === undefined ? block.name : `${block.name}[${JSON.stringify(key)}]` };
    }
  }
  return out;
}
