/**
 * `npm run dev` under a process manager: the manager signals the npm process only (not its
 * process group). The dev server must stop, let the request in flight finish, then close the
 * database, free its ports and release the data folder's lock.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startDynamoDb } from "../../scripts/local/dynamodb.js";
import { startDev } from "./support/dev-process.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves true when the port can be bound again on 127.0.0.1. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Starts a POST whose body is sent in two halves; `finish()` sends the rest and resolves with the answer. */
function slowPost(url: string, body: string) {
  const req = request(url, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on("response", (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
  });
  answer.catch(() => {}); // a reset before finish() is reported when the test awaits the answer
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return {
    finish() {
      req.end(body.slice(half));
      return answer;
    },
  };
}

describe.each(["SIGTERM", "SIGINT"] as const)("npm run dev, %s to the npm process", (signal) => {
  it("finishes the request in flight, then frees the ports and the data lock", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "dev-signal-"));
    const dev = await startDev(["--api-port", "0", "--web-port", "0", "--data-dir", dataDir]);
    let exited = false;
    try {
      const apiPort = Number(new URL(dev.apiUrl).port);
      const webPort = Number(new URL(dev.webUrl).port);
      const user = { userId: `signal-${signal.toLowerCase()}`, name: "In Flight", email: "in.flight@example.com" };
      const inFlight = slowPost(`${dev.apiUrl}/users`, JSON.stringify(user));
      await sleep(300); // the server has the request's head and half its body

      const exit = dev.signalNpm(signal);
      await sleep(500); // the server is stopping now
      const answer = await inFlight.finish();
      expect(answer.status, answer.body).toBe(201);

      expect(await exit).toBe(0);
      exited = true;
      expect(dev.output()).toMatch(/^stopped; data saved$/m);
      expect(await portIsFree(apiPort)).toBe(true);
      expect(await portIsFree(webPort)).toBe(true);
      // The LevelDB lock is released: another server opens the same folder (it refuses a locked one).
      const dynamo = await startDynamoDb({ dataDir });
      await dynamo.close();
    } finally {
      if (!exited) await dev.stop("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
