/** Which commit a deploy came from, for `npm run status` (the image tag is a content hash, not a commit). */
import { runCommand } from "../lib/process.js";

/**
 * The checkout's HEAD (12 hex digits), with "+changes" when the working tree differs from it;
 * undefined outside a git checkout or without git. Never fails a deploy.
 */
export async function sourceCommit(root: string): Promise<string | undefined> {
  const head = await runCommand({ argv: ["git", "rev-parse", "--short=12", "HEAD"] }, { cwd: root });
  if (head.code !== 0) return undefined;
  const status = await runCommand({ argv: ["git", "status", "--porcelain"] }, { cwd: root });
  const changed = status.code === 0 && status.stdout.trim() !== "";
  return `${head.stdout.trim()}${changed ? "+changes" : ""}`;
}
