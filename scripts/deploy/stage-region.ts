/**
 * One stage lives in one region. The first deploy of a stage records its region (and account) in
 * .deploy/<stage>.target.json before anything is created; deploy, diff and destroy refuse when the
 * config's aws_region no longer matches. Changing the region under a deployed stage would point
 * terraform at an empty region: deploy would build a second copy there and leave the first one
 * running (and billing) with no state that refers to it, and destroy would delete nothing.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_PATHS } from "./project.js";
import { readRecord } from "./record.js";
import type { StepRunner } from "./steps.js";

export interface StageTarget {
  stage: string;
  region: string;
  account: string;
  /** When the stage was first deployed to this region. */
  since: string;
}

export const targetPath = (deployDir: string, stage: string) => join(deployDir, `${stage}.target.json`);

/** Where the stage is deployed, from its target file or else the last deploy's record; undefined if never. */
export function deployedTarget(deployDir: string, stage: string): { region: string; file: string } | undefined {
  const file = targetPath(deployDir, stage);
  if (existsSync(file)) {
    try {
      const target = JSON.parse(readFileSync(file, "utf8")) as Partial<StageTarget>;
      if (typeof target.region === "string") return { region: target.region, file };
    } catch {
      // unreadable: fall back to the record
    }
  }
  const record = readRecord(deployDir, stage);
  return record?.region ? { region: record.region, file: `${PROJECT_PATHS.deployDir}/${stage}.json` } : undefined;
}

/** Refuses (before anything runs) when the stage is deployed in another region than the config names. */
export function checkStageRegion(
  runner: StepRunner,
  deployDir: string,
  stage: string,
  region: string,
  command: "deploy" | "diff" | "destroy",
): void {
  const deployed = deployedTarget(deployDir, stage);
  if (!deployed || deployed.region === region) return;
  const where = `stage "${stage}" is deployed in ${deployed.region} (recorded in ${relative(deployed.file)}), but the config says aws_region ${region}.`;
  if (command === "deploy") {
    runner.refuse(
      "check the stage's region",
      `${where}\nDeploying would build a second copy of the stage in ${region} and leave the stacks in ${deployed.region} running, and billing, with no state that refers to them. Nothing was changed.`,
      `to move the stage: set aws_region back to ${deployed.region}, run npm run destroy, then set ${region} and deploy again. ` +
        `To run a copy in ${region} as well: deploy it as another stage (--stage <name>). ` +
        `If nothing of stage "${stage}" exists in ${deployed.region} any more, delete ${relative(deployed.file)}.`,
    );
  }
  runner.refuse(
    "check the stage's region",
    `${where}\n${command === "destroy" ? "Destroy" : "Diff"} would look for the stacks in ${region} and find nothing there. Nothing was changed.`,
    `set aws_region back to ${deployed.region} (or point APP_CONFIG at the config the stage was deployed with), then re-run npm run ${command}`,
  );
}

/** Records where the stage lives; called before the first change, so a half-finished first deploy counts. */
export function recordStageTarget(deployDir: string, target: StageTarget): void {
  const file = targetPath(deployDir, target.stage);
  if (existsSync(file)) return; // the first deploy's date stays
  mkdirSync(deployDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(target, null, 2)}\n`);
}

/** After a destroy: the stage lives nowhere, so any region may be next. */
export function forgetStageTarget(deployDir: string, stage: string): void {
  rmSync(targetPath(deployDir, stage), { force: true });
}

const relative = (file: string) =>
  file.includes(`/${PROJECT_PATHS.deployDir}/`) ? `${PROJECT_PATHS.deployDir}/${file.split(`/${PROJECT_PATHS.deployDir}/`).pop()}` : file;
