/**
 * Ownership with sign-in on (config auth "cognito"): API Gateway's JWT authorizer verified the
 * token and passed its claims; the record belongs to the token's `sub`, never to the body.
 * Without claims (auth "none") the anonymous contract stays as it was.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestTable, type TestTable } from "./support/dynamodb.js";
import { cognitoClaims, jsonRequest, type RequestSpec } from "./support/events.js";
import { invoke } from "./support/invoke.js";
import { captureRequestLogs } from "./support/logs.js";

let table: TestTable;
let logs: ReturnType<typeof captureRequestLogs>;

beforeAll(async () => {
  table = await startTestTable("ownership");
  logs = captureRequestLogs();
});
afterAll(async () => {
  logs.restore();
  await table.stop();
});

/** A request as the signed-in `sub` sends it, after the gateway's authorizer let it through. */
function as(sub: string, spec: RequestSpec): RequestSpec {
  return { ...spec, jwt: { claims: cognitoClaims(sub) } };
}

describe("signed in", () => {
  test("POST /users creates the caller's own record under their sub; /users/me returns it with the e-mail", async () => {
    const sub = randomUUID();
    const created = await invoke(as(sub, jsonRequest("POST", "/users", { name: "Ada", email: "ada@example.com" })));
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ message: "User created successfully", userId: sub });
    expect(created.headers.location).toBe(`/users/${sub}`);
    const stored = (await table.items()).find((item) => (item.UserId as { S?: string } | undefined)?.S === sub) as
      | Record<string, { S?: string }>
      | undefined;
    expect(stored?.Email?.S).toBe("ada@example.com");

    const me = await invoke(as(sub, jsonRequest("GET", "/users/me")));
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ userId: sub, name: "Ada", email: "ada@example.com", createdAt: expect.any(String) });
  });

  test("the body cannot name the owner: a userId in it is a 400 and nothing is stored", async () => {
    const sub = randomUUID();
    const before = (await table.items()).length;
    const answer = await invoke(as(sub, jsonRequest("POST", "/users", { userId: "someone-else", name: "Eve", email: "eve@example.com" })));
    expect(answer.status).toBe(400);
    expect(answer.json.error.fields).toEqual({ userId: "is set from your sign-in; leave it out" });
    // Not even the caller's own id is accepted from the body.
    const own = await invoke(as(sub, jsonRequest("POST", "/users", { userId: sub, name: "Eve", email: "eve@example.com" })));
    expect(own.status).toBe(400);
    expect((await table.items()).length).toBe(before);
  });

  test("one record per identity: a second create is 409 and the first stays as it was", async () => {
    const sub = randomUUID();
    expect((await invoke(as(sub, jsonRequest("POST", "/users", { name: "First", email: "first@example.com" })))).status).toBe(201);
    const second = await invoke(as(sub, jsonRequest("POST", "/users", { name: "Second", email: "second@example.com" })));
    expect(second.status).toBe(409);
    expect(second.json.error).toMatchObject({ code: "user_exists", message: "You already have a user record." });
    expect((await invoke(as(sub, jsonRequest("GET", "/users/me")))).json).toMatchObject({ name: "First", email: "first@example.com" });
  });

  test("another user's record never carries the e-mail, by id or in the list", async () => {
    const owner = randomUUID();
    const other = randomUUID();
    await invoke(as(owner, jsonRequest("POST", "/users", { name: "Owner", email: "owner@example.com" })));
    const read = await invoke(as(other, jsonRequest("GET", `/users/${owner}`)));
    expect(read.status).toBe(200);
    expect(read.json).toEqual({ userId: owner, name: "Owner", createdAt: expect.any(String) });
    expect(read.rawBody).not.toContain("owner@example.com");
    // The owner reading their record by id gets the public shape too: only /users/me has the e-mail.
    expect((await invoke(as(owner, jsonRequest("GET", `/users/${owner}`)))).rawBody).not.toContain("@");
    const list = await invoke(as(other, jsonRequest("GET", "/users?limit=100")));
    expect(list.status).toBe(200);
    expect(list.json.items.map((u: { userId: string }) => u.userId)).toContain(owner);
    expect(list.rawBody).not.toContain("@");
  });

  test("/users/me of an identity without a record is a 404, and never anybody else's record", async () => {
    const answer = await invoke(as(randomUUID(), jsonRequest("GET", "/users/me")));
    expect(answer.status).toBe(404);
    expect(answer.json.error.code).toBe("not_found");
  });

  test("the newest-first list shows signed-in creates, newest first", async () => {
    const subs = [randomUUID(), randomUUID()];
    for (const sub of subs)
      await invoke(as(sub, jsonRequest("POST", "/users", { name: `List ${sub.slice(0, 4)}`, email: "l@example.com" })));
    const page = await invoke(as(subs[0]!, jsonRequest("GET", "/users?limit=2")));
    expect(page.json.items.map((u: { userId: string }) => u.userId)).toEqual([subs[1], subs[0]]);
  });

  test("a sub that cannot be a user id is refused with a 403 that says so", async () => {
    const answer = await invoke(as("google|1234", jsonRequest("POST", "/users", { name: "Odd", email: "odd@example.com" })));
    expect(answer.status).toBe(403);
    expect(answer.json.error.code).toBe("unsupported_identity");
  });
});

describe("anonymous (auth none): today's contract", () => {
  test("POST /users still takes the userId from the body", async () => {
    const answer = await invoke(jsonRequest("POST", "/users", { userId: "anon-1", name: "Anon", email: "anon@example.com" }));
    expect(answer.status).toBe(201);
    expect(answer.json.userId).toBe("anon-1");
  });

  test("GET /users/me has nobody to answer for: 401, no table read", async () => {
    const answer = await invoke(jsonRequest("GET", "/users/me"));
    expect(answer.status).toBe(401);
    expect(answer.json.error.code).toBe("not_signed_in");
  });

  test('"me" is a reserved user id (GET /users/me would shadow it)', async () => {
    const answer = await invoke(jsonRequest("POST", "/users", { userId: "Me", name: "Me", email: "me@example.com" }));
    expect(answer.status).toBe(400);
    expect(answer.json.error.fields.userId).toBe("is a reserved id");
  });
});
