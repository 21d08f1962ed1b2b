import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { LAMBDA_IMAGE } from "../../backend/src/contract.js";

const read = (name: string) => readFileSync(new URL(`../../backend/${name}`, import.meta.url), "utf8");

/** Dockerfile instructions: comments dropped, continuation lines joined, keyword upper-cased. */
function instructions(dockerfile: string): { keyword: string; args: string }[] {
  return dockerfile
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
      return { keyword: keyword.toUpperCase(), args };
    });
}

const steps = instructions(read("Dockerfile"));

test("the final stage is built FROM LAMBDA_IMAGE.baseImage, for the caller's --platform", () => {
  const froms = steps.filter((s) => s.keyword === "FROM");
  const last = froms[froms.length - 1]!.args.split(/\s+/);
  expect(last.filter((w) => w.startsWith("--platform"))).toEqual([]);
  expect(last[0]).toBe(LAMBDA_IMAGE.baseImage);
});

test("CMD is LAMBDA_IMAGE.command in exec form", () => {
  const cmds = steps.filter((s) => s.keyword === "CMD");
  expect(JSON.parse(cmds[cmds.length - 1]!.args)).toEqual(LAMBDA_IMAGE.command);
});

test("the image copies the bundle named by the command into the task root", () => {
  const module = LAMBDA_IMAGE.command[0].split(".")[0];
  expect(steps).toContainEqual({ keyword: "COPY", args: `dist/${module}.mjs \${LAMBDA_TASK_ROOT}/` });
});

test("the build context is the bundle only", () => {
  const rules = read(".dockerignore")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  expect(rules).toEqual(["*", "!dist/index.mjs"]);
});
