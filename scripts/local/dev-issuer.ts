/**
 * The local stand-in for the Cognito user pool of `auth: "cognito"`: a real OpenID Connect issuer
 * (the certified `oidc-provider` library, https://github.com/panva/node-oidc-provider) on a local
 * port, so `npm run dev` signs in exactly as the deployed app does: authorization code + PKCE
 * (S256) for one public client (no secret) whose only callback is the web origin's
 * /auth/callback, RS256 tokens signed with a key made at start-up, its JWKS and discovery
 * document served, refresh tokens, and RP-initiated sign-out.
 *
 * Access tokens are JWTs like Cognito's (`sub`, `client_id`, `scope`, `iat`, `exp`, `jti`,
 * `iss`); oidc-provider requires an `aud` on JWT access tokens, so they also carry `aud` = the
 * client id, which API Gateway then checks instead of `client_id`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html).
 *
 * The sign-in page asks for an e-mail address and nothing else: the first sign-in with an address
 * is its sign-up. Its `sub` is a UUID derived from the address, so the same address is the same
 * identity across restarts (and owns the same records in a persisted dev database).
 */
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { JWK } from "jose";
import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import { validateEmail } from "../../backend/src/user-schema.js";
import { AUTH_CALLBACK_PATH, AUTH_LOGOUT_PATH, AUTH_SCOPES, type WebAuthConfig } from "../../web/src/auth-config.js";
import { closeServer, listen } from "./listen.js";

/** The client id of the web app at the dev issuer (Cognito makes one up per app client). */
export const DEV_CLIENT_ID = "local-web-app";
/** The resource indicator the web app's access tokens are issued for (it makes them JWTs). */
const API_RESOURCE = "urn:serverless-starter:api";
const SCOPE = AUTH_SCOPES.join(" ");

export interface DevIssuerOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Web origins allowed to sign in (callback `<origin>/auth/callback`, sign-out `<origin>/`). */
  webOrigins: readonly string[];
  /** The RSA private key tokens are signed with (tests mint their own tokens with it). @default a new 2048-bit key per start */
  signingKey?: JWK;
  /** Lifetime of access and ID tokens. @default 3600 (Cognito's default, 60 minutes) */
  accessTokenTtlSeconds?: number;
}

export interface DevIssuer {
  /** e.g. "http://127.0.0.1:4010" (the tokens' `iss`, no trailing slash). */
  issuer: string;
  clientId: string;
  /** What /config.json carries as `auth`. */
  webAuthConfig: WebAuthConfig;
  close(): Promise<void>;
}

/** The RSA signing key of a dev issuer, as a private JWK (RS256, as Cognito signs). */
export function newSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as JWK;
  return { ...jwk, kid: randomBytes(8).toString("hex"), alg: "RS256", use: "sig" };
}

/** The stable `sub` of an e-mail address at the dev issuer: a UUID (v8 layout) of its SHA-256. */
export function devSubject(email: string): string {
  const h = createHash("sha256").update(`dev-issuer:${email.toLowerCase()}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function startDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  const host = options.host ?? "127.0.0.1";
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  /** sub -> e-mail of everyone who signed in since start (the "user pool"). */
  const accounts = new Map<string, string>();
  const server: Server = createServer();
  const port = await listen(server, options.port ?? 0, host, "Issuer");
  const issuer = `http://${host}:${port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        token_endpoint_auth_method: "none",
        application_type: "web",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: options.webOrigins.map((o) => `${o}${AUTH_CALLBACK_PATH}`),
        post_logout_redirect_uris: options.webOrigins.map((o) => `${o}${AUTH_LOGOUT_PATH}`),
      },
    ],
    jwks: { keys: [options.signingKey ?? newSigningKey()] as never },
    // Every authorization request must carry an S256 code challenge, as the web app sends.
    pkce: { required: () => true },
    scopes: ["openid", "email", "profile", "offline_access"],
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    async findAccount(_ctx, sub) {
      const email = accounts.get(sub);
      if (!email) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email, email_verified: true }) };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        // Every access token is for the API, and so a JWT (without a resource it would be opaque).
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: SCOPE, audience: DEV_CLIENT_ID, accessTokenFormat: "jwt", accessTokenTTL: ttl }),
      },
    },
    // Cognito returns a refresh token with every code exchange; so does the dev issuer.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // A first-party app: the sign-in is the consent (as Cognito's managed login asks none).
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const found = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (found) return found;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(SCOPE);
      grant.addResourceScope(API_RESOURCE, SCOPE);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: ttl, IdToken: ttl, Interaction: 600, Session: 86_400, Grant: 86_400, RefreshToken: 86_400 },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    clientBasedCORS: (_ctx, origin) => options.webOrigins.includes(origin),
    async renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = page("Sign-in error", `<h1>Sign-in error</h1><p>${escapeHtml(String(out.error_description ?? out.error))}</p>`);
    },
  };
  const provider = await newProvider(issuer, configuration);
  const callback = provider.callback();

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const interaction = /^\/interaction\/([\w-]+)$/.exec(path);
    if (!interaction) {
      callback(req, res);
      return;
    }
    signInPage(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/html; charset=utf-8" });
      res.end(page("Sign-in error", `<h1>Sign-in error</h1><p>${escapeHtml((e as Error).message)}</p>`));
    });
  });

  /** GET: the form; POST: signs in (or up) with the e-mail and returns to the authorization. */
  async function signInPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "POST") {
      const email = new URLSearchParams(await readBody(req)).get("email")?.trim() ?? "";
      const problem = validateEmail(email);
      if (problem) {
        res.writeHead(400, { "content-type": "text/html; charset=utf-8" });
        res.end(signInForm(details.uid, email, `The e-mail address ${problem}.`));
        return;
      }
      const sub = devSubject(email);
      accounts.set(sub, email);
      await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(signInForm(details.uid));
  }

  return {
    issuer,
    clientId: DEV_CLIENT_ID,
    webAuthConfig: {
      issuer,
      clientId: DEV_CLIENT_ID,
      authorizationEndpoint: `${issuer}/auth`,
      tokenEndpoint: `${issuer}/token`,
      logoutEndpoint: `${issuer}/session/end`,
      scopes: [...AUTH_SCOPES],
    },
    close: () => closeServer(server, 1_000),
  };
}

/**
 * An oidc-provider instance, made without its two start-up warnings: "Unsupported runtime" under Node 20
 * (this project supports Node 20 and 22, and the tests run the issuer on both), and the
 * in-memory storage notice (what a dev issuer wants: everything but the signing key is forgotten
 * on restart). Anything else it warns about still shows.
 */
async function newProvider(issuer: string, configuration: Configuration): Promise<InstanceType<typeof import("oidc-provider").default>> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!/^oidc-provider WARNING: (Unsupported runtime|a quick start development-only in-memory adapter)/.test(String(args[0])))
      warn(...args);
  };
  try {
    const { default: Provider } = await import("oidc-provider");
    return new Provider(issuer, configuration);
  } finally {
    console.warn = warn;
  }
}

function signInForm(uid: string, email = "", error?: string): string {
  const describedBy = error ? ' aria-describedby="email-error" aria-invalid="true"' : "";
  return page(
    "Sign in (development)",
    `<h1>Sign in</h1>
<p>This is the development sign-in of <code>npm run dev</code>: no password. A new e-mail address signs up.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}">
  <label for="email">E-mail address</label>
  <input id="email" name="email" type="email" autocomplete="email" required value="${escapeHtml(email)}"${describedBy} autofocus>
  ${error ? `<p id="email-error" role="alert">${escapeHtml(error)}</p>` : ""}
  <button type="submit">Sign in</button>
</form>`,
  );
}

/** RP-initiated sign-out: submitted at once (Cognito's /logout asks nothing either). */
async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = "html";
  ctx.body = page(
    "Signing out",
    `<h1>Signing out</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<script>document.getElementById("op.logoutForm").requestSubmit?.(document.querySelector("button[name=logout]"))</script>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = "html";
  ctx.body = page("Signed out", "<h1>Signed out</h1><p>You are signed out of the development issuer.</p>");
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > 4096) req.destroy(new Error("the sign-in form is too large"));
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}
