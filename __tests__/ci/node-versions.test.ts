/**
 * The Node versions the project states and tests stay in step: .ci/run tests on the machine's
 * Node and on the Node of the Lambda base image (backend/Dockerfile), whose binary
 * .ci/lambda-node pins; package.json `engines` names exactly those majors.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../stacks/app.js";

const read = (path: string) => readFileSync(`${PROJECT_ROOT}${path}`, "utf8");
const major = (version: string) => Number(version.replace(/^v/, "").split(".")[0]);
/** "a.b.c" >= "x.y.z", numerically. */
const atLeast = (version: string, minimum: string) => {
  const [a, b] = [version, minimum].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (a![i] !== b![i]) return a![i]! > b![i]!;
  return true;
};

describe("Node versions", () => {
  const image = /^FROM public\.ecr\.aws\/lambda\/nodejs:(\d+)\s*$/m.exec(read("backend/Dockerfile"));
  const pinned = (JSON.parse(read(".ci/lambda-node/package.json")) as { dependencies: { node: string } }).dependencies.node;
  const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
  /** `^20.19.0 || ^22.12.0` -> { 20: "20.19.0", 22: "22.12.0" } */
  const minimumPerMajor = (): Record<number, string> =>
    Object.fromEntries(
      engines.split("||").map((range) => {
        const m = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(range);
        if (!m) throw new Error(`engines.node: expected "^x.y.z || ...", got ${JSON.stringify(engines)}`);
        return [Number(m[1]), `${m[1]}.${m[2]}.${m[3]}`];
      }),
    );

  it("CI pins an exact Node of the Lambda base image's major", () => {
    expect(image, "backend/Dockerfile FROM public.ecr.aws/lambda/nodejs:<major>").not.toBeNull();
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(major(pinned)).toBe(Number(image![1]));
  });

  it("engines names the image's major (at or below the pinned version) and the Node running these tests", () => {
    const ranges = minimumPerMajor();
    expect(ranges[major(pinned)], `engines.node ${engines}`).toBeDefined();
    expect(atLeast(pinned, ranges[major(pinned)]!)).toBe(true);
    expect(ranges[major(process.version)], `engines.node ${engines} omits ${process.version}`).toBeDefined();
    expect(atLeast(process.version.slice(1), ranges[major(process.version)]!)).toBe(true);
  });
});
