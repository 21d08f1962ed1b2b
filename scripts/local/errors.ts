/** A problem the user can fix (busy port, broken data folder, bad flag): shown as one line, exit 1. */
export class LocalStackError extends Error {
  override name = "LocalStackError";
}
