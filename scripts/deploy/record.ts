/** The record a deploy leaves in .deploy/<stage>.json: what is live and where (git-ignored). */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DeploymentRecord {
  stage: string;
  region: string;
  account: string;
  deployedAt: string;
  /** The checkout's commit, "+changes" when the working tree differed; absent outside git. */
  commit?: string;
  /** The image the function runs: its immutable tag and the digest the app stack resolved. */
  image: { tag: string; digest: string; uri: string };
  web_url?: string;
  api_url?: string;
  /** Every stack's non-sensitive outputs. */
  stacks: Record<string, Record<string, unknown>>;
}

export const recordPath = (deployDir: string, stage: string) => join(deployDir, `${stage}.json`);

export function writeRecord(deployDir: string, record: DeploymentRecord): string {
  mkdirSync(deployDir, { recursive: true });
  const file = recordPath(deployDir, record.stage);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** The last deploy's record, if there is one and it is readable. */
export function readRecord(deployDir: string, stage: string): DeploymentRecord | undefined {
  try {
    return JSON.parse(readFileSync(recordPath(deployDir, stage), "utf8")) as DeploymentRecord;
  } catch {
    return undefined;
  }
}
