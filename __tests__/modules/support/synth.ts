import { Testing } from "cdktf";
import type { Construct } from "constructs";

type Resources = Record<string, Record<string, Record<string, any>>>;

/**
 * Synthesizes one construct with cdktf's `Testing.synthScope` and returns its resources by type,
 * in Terraform's snake_case. `only(type)` is the single resource of that type.
 */
export function synthConstruct(build: (scope: Construct) => void): { resources: Resources; only: (type: string) => Record<string, any> } {
  const resources: Resources = JSON.parse(Testing.synthScope(build)).resource ?? {};
  const only = (type: string) => {
    const all = Object.values(resources[type] ?? {});
    if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
    return all[0]!;
  };
  return { resources, only };
}
