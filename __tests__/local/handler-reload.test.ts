import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { type HandlerLoader, startHandlerLoader } from "../../scripts/local/handler-loader.js";

const call = (loader: HandlerLoader) => loader.current()({} as APIGatewayProxyEventV2, {} as Context);

/** A handler module importing a helper module, as the backend does. */
function writeBackend(dir: string, greeting: string): void {
  writeFileSync(join(dir, "greeting.ts"), `export const greeting: string = ${JSON.stringify(greeting)};\n`);
  writeFileSync(
    join(dir, "handler.ts"),
    `import { greeting } from "./greeting.js";\nexport async function handler() { return { statusCode: 200, body: greeting }; }\n`,
  );
}

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the handler loader", () => {
  let dir: string;
  let loader: HandlerLoader | undefined;
  afterEach(async () => {
    await loader?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reloads the handler when a module it imports changes", async () => {
    dir = mkdtempSync(join(tmpdir(), "handler-reload-"));
    writeBackend(dir, "hello");
    loader = await startHandlerLoader({ entry: join(dir, "handler.ts"), watchDir: dir });
    expect(await call(loader)).toMatchObject({ body: "hello" });

    writeFileSync(join(dir, "greeting.ts"), `export const greeting: string = "changed";\n`);
    await waitFor(async () => ((await call(loader!)) as { body: string }).body === "changed");
    expect(loader.loads()).toBeGreaterThanOrEqual(2);
  });

  it("keeps the previous handler when the changed code does not build", async () => {
    dir = mkdtempSync(join(tmpdir(), "handler-reload-"));
    writeBackend(dir, "stable");
    const lines: string[] = [];
    loader = await startHandlerLoader({ entry: join(dir, "handler.ts"), watchDir: dir, log: (l) => lines.push(l) });
    writeFileSync(join(dir, "greeting.ts"), `export const greeting = ;\n`);
    await waitFor(async () => lines.some((l) => l.includes("does not build")));
    expect(await call(loader)).toMatchObject({ body: "stable" });
  });

  it("fails with one line naming the file when the handler does not build at start", async () => {
    dir = mkdtempSync(join(tmpdir(), "handler-reload-"));
    writeFileSync(join(dir, "handler.ts"), "export const handler = ;\n");
    await expect(startHandlerLoader({ entry: join(dir, "handler.ts") })).rejects.toThrow(
      /^cannot load the handler .*handler\.ts: .*handler\.ts:1: /,
    );
  });
});
