/**
 * Signs in at an OpenID Connect issuer the way the web app does (authorization code + PKCE S256,
 * public client), driving the issuer's pages with fetch instead of a browser: the authorization
 * request, the dev sign-in form, the redirect back with the code, and the token request.
 */
import { createHash, randomBytes } from "node:crypto";
import type { WebAuthConfig } from "../../../web/src/auth-config.js";

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

export async function signIn(auth: WebAuthConfig, email: string, webOrigin: string): Promise<Tokens> {
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  };
  const location = (r: Response) => new URL(r.headers.get("location") ?? "", r.url).toString();

  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const redirectUri = `${webOrigin}/auth/callback`;
  const state = randomBytes(16).toString("base64url");
  const authorize = new URL(auth.authorizationEndpoint);
  for (const [k, v] of Object.entries({
    client_id: auth.clientId,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: auth.scopes.join(" "),
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }))
    authorize.searchParams.set(k, v);

  let response = await go(authorize.toString());
  if (response.status !== 303 && response.status !== 302)
    throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  const interaction = location(response);
  response = await go(interaction, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email }).toString(),
  });
  // Back to the authorization endpoint, which now redirects to the callback with the code.
  for (let hops = 0; hops < 5 && !location(response).startsWith(redirectUri); hops++) response = await go(location(response));
  const callback = new URL(location(response));
  if (callback.searchParams.get("state") !== state) throw new Error(`callback without our state: ${callback}`);
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`callback without a code: ${callback}`);

  const token = await fetch(auth.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: auth.clientId,
      code_verifier: verifier,
    }).toString(),
  });
  if (!token.ok) throw new Error(`token endpoint answered ${token.status}: ${await token.text()}`);
  return (await token.json()) as Tokens;
}
