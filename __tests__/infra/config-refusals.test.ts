/**
 * Config AWS would refuse half-way through an apply, and config files the reader must refuse
 * rather than misread, hang on or crash over. Each is one clear line, and nothing is written.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { AWS_COMMERCIAL_REGIONS } from "../../stacks/aws-regions.js";
import { loadConfig, parseConfig, RESERVED_BUCKET_PREFIXES, RESERVED_BUCKET_SUFFIXES } from "../../stacks/config.js";
import { CONFIG_MAX_DEPTH } from "../../stacks/config-file.js";
import { runCommandInProcess } from "../support/command-in-process.js";

function problemsOf(raw: unknown) {
  const result = parseConfig(raw);
  if (result.ok) throw new Error(`expected ${JSON.stringify(raw).slice(0, 80)} to be refused`);
  return result.problems;
}

const dir = () => mkdtempSync(join(tmpdir(), "cfg-refuse-"));
function configFile(contents: string | Buffer): string {
  const file = join(dir(), "app.config.json");
  writeFileSync(file, contents);
  return file;
}
/** The one-line message loadConfig throws for a file. */
function refusal(file: string): string {
  try {
    loadConfig({ APP_CONFIG: file });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the config file to be refused");
}

describe("the config file", () => {
  test("a key set twice is refused, naming it (JSON.parse would keep the last silently)", () => {
    expect(refusal(configFile('{ "stage": "prod", "lambda_memory": 512, "stage": "qa" }'))).toMatch(/APP_CONFIG: .* sets "stage" twice/);
    expect(refusal(configFile('{ "tags": { "team": "a", "team": "b" } }'))).toMatch(/sets "tags\.team" twice/);
    // The same name in two different objects is not a duplicate.
    expect(
      loadConfig({ APP_CONFIG: configFile('{ "table_attributes": [{ "name": "UserId", "type": "S" }], "table_hash_key": "UserId" }') })
        .table_hash_key,
    ).toBe("UserId");
  });

  test("a byte order mark is named as such (UTF-8 and UTF-16)", () => {
    expect(refusal(configFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{ "stage": "qa" }')])))).toMatch(
      /UTF-8 byte order mark \(BOM\)/,
    );
    expect(refusal(configFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{ "stage": "qa" }', "utf16le")])))).toMatch(/UTF-16/);
  });

  test("very deep nesting is one line, not a stack overflow", () => {
    const deep = `{ "tags": ${"[".repeat(200_000)}${"]".repeat(200_000)} }`;
    const message = refusal(configFile(deep));
    expect(message).toMatch(new RegExp(`more than ${CONFIG_MAX_DEPTH} levels deep`));
    expect(message.split("\n")).toHaveLength(2);
  });

  test("a FIFO, a device and a directory are refused at once, never read", () => {
    const fifo = join(dir(), "fifo.json");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    expect(refusal(fifo)).toMatch(/is a FIFO, not a regular file/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(refusal("/dev/zero")).toMatch(/is a device, not a regular file/);
    expect(refusal(dir())).toMatch(/is a directory, not a regular file/);
  });

  test("values echoed in errors are cut to a readable length", () => {
    const long = "x".repeat(5000);
    const message = refusal(configFile(JSON.stringify({ lambda_name: long, [`k${long}`]: 1 })));
    for (const line of message.split("\n")) expect(line.length, line.slice(0, 60)).toBeLessThan(400);
    expect(message).toMatch(/… \(\d+ more characters\)/);
  });
});

describe("values AWS refuses half-way through an apply", () => {
  test("tag keys starting with aws: (any case)", () => {
    for (const key of ["aws:team", "AWS:team", "Aws:x"]) {
      expect(problemsOf({ tags: { [key]: "v" } })[0]!.rule).toMatch(/must not start with "aws:"/);
    }
    expect(parseConfig({ tags: { "team:aws": "v" } })).toMatchObject({ ok: true });
  });

  test("bucket names with a prefix or suffix S3 reserves", () => {
    for (const prefix of RESERVED_BUCKET_PREFIXES) {
      expect(problemsOf({ frontend_bucket_name: `${prefix}mybucket` })[0]!.rule, prefix).toMatch(/prefix S3 reserves/);
      expect(problemsOf({ state_bucket: `${prefix}mybucket` })[0]!.rule, prefix).toMatch(/prefix S3 reserves/);
    }
    for (const suffix of RESERVED_BUCKET_SUFFIXES.filter((x) => !x.includes("."))) {
      expect(problemsOf({ frontend_bucket_name: `mybucket${suffix}` })[0]!.rule, suffix).toMatch(/suffix S3 reserves/);
    }
    expect(problemsOf({ frontend_bucket_name: "my.bucket.mrap" })[0]!.key).toBe("frontend_bucket_name");
    expect(parseConfig({ frontend_bucket_name: "my-web-bucket-s3" })).toMatchObject({ ok: true });
  });

  test("a vpc_cidr with host bits set", () => {
    const [problem] = problemsOf({ vpc_cidr: "10.50.1.0/16" });
    expect(problem).toMatchObject({ key: "vpc_cidr" });
    expect(problem!.rule).toMatch(/host bits set/);
    expect(problemsOf({ vpc_cidr: "10.50.16.0/19" })[0]!.rule).toMatch(/host bits set/);
    for (const ok of ["10.50.0.0/16", "10.50.32.0/19", "172.16.16.0/20"])
      expect(parseConfig({ vpc_cidr: ok }), ok).toMatchObject({ ok: true });
  });

  test("a region that does not exist, in aws_region and state_region", () => {
    for (const region of ["us-north-9", "eu-west-4", "ap-southeast-9"]) {
      expect(problemsOf({ aws_region: region })[0]!.rule, region).toMatch(/is not an AWS region/);
    }
    expect(problemsOf({ state_bucket: "my-state", state_region: "eu-east-1" })[0]).toMatchObject({ key: "state_region" });
    for (const region of ["us-east-1", "eu-central-2", "ap-southeast-5", "mx-central-1"]) {
      expect(parseConfig({ aws_region: region }), region).toMatchObject({ ok: true });
    }
  });

  test("state: a bucket or its region with local state, and an unknown backend, are refused", () => {
    expect(problemsOf({ state_backend: "local", state_bucket: "my-state" })[0]).toMatchObject({ key: "state_bucket" });
    expect(problemsOf({ state_backend: "local", state_region: "eu-west-1" })[0]).toMatchObject({ key: "state_region" });
    expect(problemsOf({ state_backend: "dynamodb" })[0]).toMatchObject({ key: "state_backend", rule: 'must be "s3" or "local"' });
    expect(parseConfig({ state_region: "eu-west-1" })).toMatchObject({ ok: true }); // the derived bucket, in another region
  });

  test("APP_STATE_BUCKET (the deploy's bucket) fills state_bucket, but never overrides the file's or applies to local state", () => {
    expect(loadConfig({ APP_STATE_BUCKET: "found-bucket" }).state_bucket).toBe("found-bucket");
    const dir = mkdtempSync(join(tmpdir(), "state-env-"));
    const file = (raw: object) => {
      const path = join(dir, `${Object.keys(raw).join("-")}.json`);
      writeFileSync(path, JSON.stringify(raw));
      return path;
    };
    expect(loadConfig({ APP_CONFIG: file({ state_bucket: "mine" }), APP_STATE_BUCKET: "found-bucket" }).state_bucket).toBe("mine");
    expect(loadConfig({ APP_CONFIG: file({ state_backend: "local" }), APP_STATE_BUCKET: "found-bucket" }).state_bucket).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the region list is the standard partition of the AWS SDK's endpoint metadata", () => {
    const require = createRequire(import.meta.url);
    const core = dirname(require.resolve("@aws-sdk/core/package.json"));
    const source = readFileSync(join(core, "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js"), "utf8");
    const json = JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1));
    const aws = json.partitions.find((p: { id: string }) => p.id === "aws");
    const sdkRegions = Object.keys(aws.regions)
      .filter((r) => r !== "aws-global")
      .sort();
    expect([...AWS_COMMERCIAL_REGIONS].sort()).toEqual(sdkRegions);
  });

  test("numbers outside what any account allows", () => {
    expect(problemsOf({ lambda_memory: 10241 })[0]!.rule).toMatch(/128 to 10240/);
    expect(problemsOf({ lambda_memory: 127 })[0]!.rule).toMatch(/128 to 10240/);
    expect(problemsOf({ lambda_timeout: 900 })[0]!.rule).toMatch(/API Gateway gives up after 30 s/);
    expect(problemsOf({ lambda_reserved_concurrency: 0 })[0]!.key).toBe("lambda_reserved_concurrency");
    // a zero throttle answers every request 429: the schema's range refuses it (no later check does)
    for (const key of ["api_throttling_rate_limit", "api_throttling_burst_limit", "api_write_rate_limit", "api_write_burst_limit"]) {
      expect(problemsOf({ [key]: 0 })).toEqual([expect.objectContaining({ key, rule: expect.stringMatching(/^must be from 1 to /) })]);
    }
    expect(problemsOf({ lambda_reserved_concurrency: 2.5 })[0]!.rule).toMatch(/integer/);
  });

  test("reserved concurrency has no fixed cap: an account whose quota was raised may reserve more than 1000 (the deploy checks the account)", () => {
    const parsed = parseConfig({ lambda_reserved_concurrency: 3000 });
    expect(parsed.ok && parsed.config.lambda_reserved_concurrency).toBe(3000);
  });
});

/** Every file under dir with its contents. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[path.slice(root.length)] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  return files;
}

describe("a refused config file changes nothing (main.ts, what cdktf synth runs)", () => {
  // main.ts runs in this process (support/command-in-process.ts): the reader's refusals of a FIFO
  // are already trusted in process above (it checks the file type before it opens anything).
  test("deep nesting and a FIFO each exit 1 with one line and leave cdktf.out as it was", async () => {
    const work = dir();
    const outdir = join(work, "cdktf.out");
    const good = await runCommandInProcess("main.ts", [], { APP_CONFIG: "", CDKTF_OUTDIR: outdir });
    expect(good.code, good.output).toBe(0);
    const before = snapshot(outdir);
    const fifo = join(work, "fifo.json");
    execFileSync("mkfifo", [fifo]);
    mkdirSync(join(work, "files"));
    const cases: Array<[string, string]> = [
      [configFile(`{ "stage": "a", "stage": "b", "tags": ${"[".repeat(100_000)}${"]".repeat(100_000)} }`), "levels deep"],
      [fifo, "FIFO"],
    ];
    for (const [file, why] of cases) {
      const failure = await runCommandInProcess("main.ts", [], { APP_CONFIG: file, CDKTF_OUTDIR: outdir });
      expect(failure.code, why).toBe(1);
      expect(failure.stderr, why).toContain(why);
      expect(failure.stderr.trim().split("\n"), why).toHaveLength(2);
    }
    expect(snapshot(outdir)).toEqual(before);
  });
});

describe("the deploy's --stage override reads the file the same way", () => {
  test("a duplicate key or a FIFO is refused before the stage is merged in", async () => {
    const { loadStageConfig } = await import("../../scripts/deploy/stage-config.js");
    expect(() => loadStageConfig({ APP_CONFIG: configFile('{ "stage": "a", "stage": "b" }') }, "qa")).toThrow(/sets "stage" twice/);
    const fifo = join(dir(), "fifo.json");
    execFileSync("mkfifo", [fifo]);
    expect(() => loadStageConfig({ APP_CONFIG: fifo }, "qa")).toThrow(/is a FIFO/);
  });
});
