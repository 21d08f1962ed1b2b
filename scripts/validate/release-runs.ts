/**
 * `terraform test` runs that check how a stack keeps the previous web release (modules/web-assets.ts,
 * stacks/last-apply.ts) in a mocked plan, from the record its last apply would have left:
 *
 * - first deploy (no state object): the files of this build only;
 * - a new release: this build's files, the last release's kept, the one before it dropped;
 * - the same release again (a re-run): what the last run kept is still kept;
 * - keeping turned off for a run (its variable false): this build's files only.
 *
 * Generated only for a stack that reads its own last apply through a listing-guarded
 * `terraform_remote_state` (shared state); the local-state path is a literal (synth tests).
 */
import type { TfJson } from "../lib/synth-output.js";
import { hclValue } from "./hcl.js";
import { MOCK_ACCOUNT_ID } from "./mocks.js";

const COUNT_GUARD = /^\$\{contains\(data\.aws_s3_objects\.([A-Za-z0-9_-]+)\.keys, "([^"]+)"\) \? 1 : 0\}$/;

/** A file the last release had and this build does not. */
export const PREVIOUS_RELEASE_FILE = "assets/previous-release-Pv1.js";
/** A file of the release before the last one. */
export const OLDER_RELEASE_FILE = "assets/two-releases-ago-Ol2.js";

export interface ReleaseRuns {
  /** The run blocks. */
  runs: string[];
  /** Remote-state data sources that read the stack's own last apply (not another stack's outputs). */
  ownState: string[];
}

export function releaseRuns(json: TfJson): ReleaseRuns {
  const text = JSON.stringify(json);
  const runs: string[] = [];
  const ownState: string[] = [];
  for (const [name, block] of Object.entries<TfJson>(json.data?.terraform_remote_state ?? {})) {
    const guard = typeof block.count === "string" ? COUNT_GUARD.exec(block.count) : null;
    if (!guard) continue;
    ownState.push(name);
    const [, listing, key] = guard as unknown as [string, string, string];
    const outputNames = new Set(
      [...text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${name}\\[0\\]\\.outputs\\.([A-Za-z0-9_]+)`, "g"))].map((m) => m[1]!),
    );
    for (const output of outputNames) {
      const value = String(json.output?.[output]?.value ?? "");
      const id = /id = "([0-9a-f]+)"/.exec(value)?.[1];
      const filesLocal = /files = local\.([A-Za-z0-9_]+)/.exec(value)?.[1];
      const files = filesLocal ? (json.locals?.[filesLocal] as Record<string, Record<string, unknown>> | undefined) : undefined;
      const resource = Object.entries<TfJson>(json.resource?.aws_s3_object ?? {}).find(([, r]) => {
        const set = /^\$\{local\.([A-Za-z0-9_]+)\}$/.exec(String(r.for_each ?? ""))?.[1];
        return set !== undefined && String(json.locals?.[set] ?? "").includes(`local.${filesLocal}`);
      })?.[0];
      const sample = files && Object.values(files)[0];
      if (!id || !filesLocal || !sample || !resource) continue;
      const objects = `aws_s3_object.${resource}`;
      // as an apply records them: expressions (the key's ARN) resolved
      const resolved = Object.fromEntries(
        Object.entries(sample).map(([k, v]) => [
          k,
          typeof v === "string" && v.includes("${") ? `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/mock-key` : v,
        ]),
      );
      const entry = (file: string) => ({ ...resolved, source: `assets/gone/${file}` });
      const record = (recordId: string, last: string[], previous: string[]) =>
        JSON.stringify({
          id: recordId,
          files: Object.fromEntries(last.map((f) => [f, entry(f)])),
          previous: Object.fromEntries(previous.map((f) => [f, entry(f)])),
        });
      const current = Object.keys(files);
      const keepVariable = /!var\.([A-Za-z0-9_]+)/.exec(JSON.stringify(json.locals ?? {}))?.[1];
      const run = (title: string, keys: string[], recorded: string | undefined, asserts: Array<[string, string]>, variables = "") =>
        [
          `run "${title}" {`,
          "  command = plan",
          ...(variables ? [`  variables {\n    ${variables}\n  }`] : []),
          `  override_data {\n    target = data.aws_s3_objects.${listing}\n    values = { keys = ${hclValue(keys)} }\n  }`,
          ...(recorded === undefined
            ? []
            : [
                `  override_data {\n    target = data.terraform_remote_state.${name}\n    values = { outputs = { ${output} = ${hclValue(recorded)} } }\n  }`,
              ]),
          ...asserts.map(
            ([condition, message]) => `  assert {\n    condition     = ${condition}\n    error_message = ${hclValue(message)}\n  }`,
          ),
          "}",
        ].join("\n");
      const planned = `keys(${objects})`;
      const has = (file: string) => `contains(${planned}, ${hclValue(file)})`;
      const thisBuild: [string, string] = [
        `alltrue([for k in ${hclValue(current)} : contains(${planned}, k)])`,
        "a file of this build is not planned",
      ];
      runs.push(
        run("release_first_deploy", [], undefined, [
          thisBuild,
          [`length(${planned}) == ${current.length}`, "a first deploy plans more than this build's files"],
        ]),
        run("release_new_keeps_the_last", [key], record("an-earlier-release", [PREVIOUS_RELEASE_FILE], [OLDER_RELEASE_FILE]), [
          thisBuild,
          [has(PREVIOUS_RELEASE_FILE), "the last release's file is not kept"],
          [`!${has(OLDER_RELEASE_FILE)}`, "the file of the release before the last one is kept"],
        ]),
        run("release_rerun_keeps_the_same", [key], record(id, current, [PREVIOUS_RELEASE_FILE]), [
          thisBuild,
          [has(PREVIOUS_RELEASE_FILE), "a re-run of the same release drops what the run before kept"],
        ]),
      );
      if (keepVariable) {
        runs.push(
          run(
            "release_keeping_off",
            [key],
            record("an-earlier-release", [PREVIOUS_RELEASE_FILE], []),
            [thisBuild, [`length(${planned}) == ${current.length}`, "keeping turned off still keeps the last release's files"]],
            `${keepVariable} = false`,
          ),
        );
      }
    }
  }
  return { runs, ownState };
}
