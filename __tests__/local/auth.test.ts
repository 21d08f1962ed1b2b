/**
 * `npm run dev` with `auth: "cognito"`: the dev issuer signs people in, and the local gateway
 * checks tokens as API Gateway's JWT authorizer does before the function runs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
 * In process: the source handler behind a recorder, so "the function was never invoked" is seen.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { importJWK, type JWK, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handler } from "../../backend/src/handler.js";
import { DEV_CLIENT_ID, devSubject, newSigningKey } from "../../scripts/local/dev-issuer.js";
import { type LocalStack, startLocalStack } from "../../scripts/local/local-stack.js";
import { parseConfig } from "../../stacks/config.js";
import { signIn, type Tokens } from "./support/sign-in.js";

const WEB_ORIGIN = "http://127.0.0.1:5999";
const signingKey = newSigningKey();
const invoked: APIGatewayProxyEventV2[] = [];
let stack: LocalStack;

beforeAll(async () => {
  const parsed = parseConfig({ auth: "cognito" });
  if (!parsed.ok) throw new Error("config must parse");
  stack = await startLocalStack({
    web: false,
    apiPort: 0,
    issuerPort: 0,
    config: parsed.config,
    extraOrigins: [WEB_ORIGIN],
    issuer: { signingKey },
    handler: async (event, context) => {
      invoked.push(event);
      return handler(event, context);
    },
  });
});
afterAll(() => stack?.close());
beforeEach(() => {
  invoked.length = 0;
});

const now = () => Math.floor(Date.now() / 1000);

/** A token signed with `key` (the issuer's own unless said otherwise), Cognito access-token shaped. */
async function mint(claims: JWTPayload, key: JWK = signingKey, alg = "RS256"): Promise<string> {
  const body: JWTPayload = {
    sub: devSubject("minted@example.com"),
    iss: stack.auth!.issuer,
    client_id: DEV_CLIENT_ID,
    scope: "openid email profile",
    iat: now() - 10,
    exp: now() + 600,
    ...claims,
  };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return new SignJWT(body).setProtectedHeader({ alg, kid: key.kid }).sign(await importJWK(key, alg));
}

const api = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${stack.apiUrl}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });
const create = (token: string | undefined, body: unknown) =>
  api("/users", token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function expectGatewayRefusal(response: Response, status: 401 | 403, wwwAuthenticate: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ message: status === 401 ? "Unauthorized" : "Forbidden" });
  expect(response.headers.get("www-authenticate")).toMatch(wwwAuthenticate);
  expect(invoked).toEqual([]);
}

describe("the local gateway refuses what API Gateway's JWT authorizer refuses, without invoking the function", () => {
  it("no token", async () => {
    await expectGatewayRefusal(await api("/users"), 401, /error="invalid_token"/);
    await expectGatewayRefusal(await create(undefined, { name: "Nobody", email: "n@example.com" }), 401, /invalid_token/);
  });

  it("a token signed with another key under the issuer's kid (forged)", async () => {
    const forged = await mint({}, { ...newSigningKey(), kid: signingKey.kid });
    await expectGatewayRefusal(await api("/users/me", forged), 401, /signature is invalid/);
  });

  it("a token whose kid is not in the issuer's JWKS", async () => {
    await expectGatewayRefusal(await api("/users", await mint({}, newSigningKey())), 401, /invalid_token/);
  });

  it("an expired token", async () => {
    await expectGatewayRefusal(await api("/users", await mint({ iat: now() - 7200, exp: now() - 3600 })), 401, /has expired/);
  });

  it("a token without exp", async () => {
    await expectGatewayRefusal(await api("/users", await mint({ exp: undefined })), 401, /invalid_token/);
  });

  it("a token not valid yet (nbf) or issued in the future (iat)", async () => {
    await expectGatewayRefusal(await api("/users", await mint({ nbf: now() + 600 })), 401, /not valid yet/);
    await expectGatewayRefusal(await api("/users", await mint({ iat: now() + 600 })), 401, /issued in the future/);
  });

  it("the wrong audience: aud when present, else client_id", async () => {
    await expectGatewayRefusal(await api("/users", await mint({ aud: "another-client" })), 401, /valid audience/);
    await expectGatewayRefusal(await api("/users", await mint({ client_id: "another-client" })), 401, /valid audience/);
    // aud is evaluated when both are there: a matching client_id does not rescue a wrong aud.
    await expectGatewayRefusal(await api("/users", await mint({ aud: "another-client", client_id: DEV_CLIENT_ID })), 401, /valid audience/);
  });

  it("another issuer", async () => {
    await expectGatewayRefusal(
      await api("/users", await mint({ iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" })),
      401,
      /valid issuer/,
    );
  });

  it("a token with none of the route's scopes is 403 (an ID token has no scope at all)", async () => {
    await expectGatewayRefusal(await api("/users", await mint({ scope: "email profile" })), 403, /insufficient_scope/);
    await expectGatewayRefusal(await api("/users", await mint({ scope: undefined, aud: DEV_CLIENT_ID })), 403, /insufficient_scope/);
  });

  it("a token that is not RSA-signed, or not a JWT", async () => {
    const hmac: JWK = { kty: "oct", k: Buffer.from("a shared secret of thirty-two by").toString("base64url"), kid: signingKey.kid };
    await expectGatewayRefusal(await api("/users", await mint({}, hmac, "HS256")), 401, /invalid_token/);
    await expectGatewayRefusal(await api("/users", "not.a.jwt"), 401, /invalid_token/);
  });

  it("GET /health stays open", async () => {
    const health = await api("/health");
    expect(health.status).toBe(200);
    expect(invoked).toHaveLength(1);
  });
});

describe("signed in through the dev issuer (authorization code + PKCE)", () => {
  let ada: Tokens;
  let bob: Tokens;
  beforeAll(async () => {
    [ada, bob] = await Promise.all([
      signIn(stack.auth!, "ada@example.com", WEB_ORIGIN),
      signIn(stack.auth!, "bob@example.com", WEB_ORIGIN),
    ]);
  });

  it("config.json's auth object points at the dev issuer, whose discovery agrees", async () => {
    const discovery = await (await fetch(`${stack.auth!.issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      issuer: stack.auth!.issuer,
      authorization_endpoint: stack.auth!.authorizationEndpoint,
      token_endpoint: stack.auth!.tokenEndpoint,
      end_session_endpoint: stack.auth!.logoutEndpoint,
      code_challenge_methods_supported: ["S256"],
    });
    expect(stack.auth!.scopes).toEqual(["openid", "email", "profile"]);
  });

  it("a valid token reaches the function with the claims as strings; sub is the caller", async () => {
    const answer = await api("/users/me", ada.access_token);
    expect(answer.status).toBe(404); // no record yet: the function answered
    expect(invoked).toHaveLength(1);
    const claims = (invoked[0]!.requestContext as { authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] } } })
      .authorizer!.jwt;
    expect(claims.claims).toMatchObject({ sub: devSubject("ada@example.com"), client_id: DEV_CLIENT_ID, iss: stack.auth!.issuer });
    expect(Object.values(claims.claims).every((v) => typeof v === "string")).toBe(true);
    expect(claims.scopes).toEqual(["openid", "email", "profile"]);
  });

  it("creates the caller's own record, returns it with the e-mail on /users/me, and hides the e-mail from others", async () => {
    const created = await create(ada.access_token, { name: "Ada Lovelace", email: "ada@example.com" });
    expect(created.status).toBe(201);
    const sub = devSubject("ada@example.com");
    expect(created.headers.get("location")).toBe(`/users/${sub}`);

    const me = await api("/users/me", ada.access_token);
    expect(await me.json()).toEqual({ userId: sub, name: "Ada Lovelace", email: "ada@example.com", createdAt: expect.any(String) });

    const seenByBob = await api(`/users/${sub}`, bob.access_token);
    expect(seenByBob.status).toBe(200);
    expect(await seenByBob.text()).not.toContain("ada@example.com");
    const list = await api("/users?limit=100", bob.access_token);
    expect(await list.text()).not.toContain("@");
    // Bob's /users/me is his own (none yet), never Ada's.
    expect((await api("/users/me", bob.access_token)).status).toBe(404);
  });

  it("cannot create as someone else: the body cannot name the owner", async () => {
    const answer = await create(bob.access_token, { userId: devSubject("ada@example.com"), name: "Not Ada", email: "bob@example.com" });
    expect(answer.status).toBe(400);
    expect((await answer.json()).error.fields.userId).toBe("is set from your sign-in; leave it out");
    expect(await (await api("/users/me", ada.access_token)).json()).toMatchObject({ name: "Ada Lovelace" });
  });

  it("a Cognito-shaped access token (client_id, no aud) signed by the issuer passes", async () => {
    expect((await api("/users?limit=1", await mint({}))).status).toBe(200);
  });

  it("the refresh token gets a new access token that works", async () => {
    const refreshed = await fetch(stack.auth!.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: ada.refresh_token!, client_id: DEV_CLIENT_ID }).toString(),
    });
    expect(refreshed.status).toBe(200);
    const tokens = (await refreshed.json()) as Tokens;
    expect((await api("/users/me", tokens.access_token)).status).toBe(200);
  });
});
