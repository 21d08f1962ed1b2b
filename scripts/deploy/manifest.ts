/** The stacks `cdktf.out/manifest.json` lists, in the order they deploy (upstream first). */
import type { ManifestStack } from "../lib/synth-output.js";

export { type ManifestStack, readManifest } from "../lib/synth-output.js";

/**
 * Deploy order: the registry first (the image must be pushed before any stack references it), then
 * the rest so that every stack comes after the stacks it depends on.
 */
export function deployOrder(stacks: Pick<ManifestStack, "id" | "dependencies">[], registryId: string): string[] {
  if (!stacks.some((s) => s.id === registryId)) {
    throw new Error(`the synthesized stacks (${stacks.map((s) => s.id).join(", ") || "none"}) do not include "${registryId}"`);
  }
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (id: string) => {
    if (order.includes(id)) return;
    if (visiting.has(id)) throw new Error(`the stacks depend on each other in a cycle through "${id}"`);
    visiting.add(id);
    for (const dep of byId.get(id)?.dependencies ?? []) if (byId.has(dep)) visit(dep);
    visiting.delete(id);
    order.push(id);
  };
  visit(registryId);
  for (const s of stacks) visit(s.id);
  return order;
}

/** The stacks a stack must wait for: its manifest dependencies, plus the registry (its image). */
export function upstreamOf(stacks: Pick<ManifestStack, "id" | "dependencies">[], id: string, registryId: string): string[] {
  const deps = stacks.find((s) => s.id === id)?.dependencies ?? [];
  return id === registryId ? deps : [...new Set([registryId, ...deps])];
}
