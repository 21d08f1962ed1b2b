/**
 * A small web build (an entry page naming two hashed assets), so a synth plans the web files
 * whether or not web/dist is built: `npm run validate` and the synth tests use it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes the build into `dir` and returns it. */
export function writeWebFixture(dir: string): string {
  mkdirSync(join(dir, "assets"), { recursive: true });
  writeFileSync(join(dir, "index.html"), '<!doctype html><script type="module" src="/assets/app-Vd1a7e0x.js"></script>');
  writeFileSync(join(dir, "assets", "app-Vd1a7e0x.js"), "console.log('fixture');\n");
  writeFileSync(join(dir, "assets", "app-Cs5a7e0x.css"), "body{margin:0}\n");
  return dir;
}
