/**
 * Sign-in for the web app, by hand: the OAuth 2.0 authorization code flow with PKCE (RFC 7636,
 * S256) of a public client, with Web Crypto and fetch only (no library: the whole app stays a few
 * KB). Works with the Cognito user pool's managed login and with the dev issuer of `npm run dev`.
 *
 * Where things are kept (docs/auth.md argues it):
 * - tokens in memory only: never localStorage or sessionStorage, so nothing outlives the page
 *   and a script injected later finds nothing stored. A reload signs the user out of the app;
 *   "Sign in" then passes straight through while the issuer's own session lasts.
 * - the PKCE verifier and the `state` in sessionStorage, for the one round trip to the sign-in
 *   page and back (this tab only), removed as soon as the callback reads them.
 */
import { AUTH_CALLBACK_PATH, AUTH_LOGOUT_PATH, type WebAuthConfig } from "./auth-config.js";

export type AuthState = "signed-out" | "signed-in" | "expired";

export interface Session {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  /** When the access token expires (ms since the epoch), from the token response's expires_in. */
  expiresAt: number;
  /** The ID token's `sub` and `email` (read, not verified: it came straight from the token endpoint over TLS). */
  sub: string;
  email?: string;
}

/** The sign-in failed or was refused; the message is for people. */
export class SignInError extends Error {
  override name = "SignInError";
}

const PENDING_KEY = "auth.pending";
/** Refresh this long before the access token expires, so no request carries one about to lapse. */
const EXPIRY_MARGIN_MS = 30_000;

export class Auth {
  private session: Session | undefined;
  private current: AuthState = "signed-out";
  private readonly listeners: ((state: AuthState) => void)[] = [];
  private refreshing: Promise<boolean> | undefined;

  constructor(readonly config: WebAuthConfig) {}

  get state(): AuthState {
    return this.current;
  }

  get user(): Pick<Session, "sub" | "email"> | undefined {
    return this.session && { sub: this.session.sub, email: this.session.email };
  }

  onChange(listener: (state: AuthState) => void): void {
    this.listeners.push(listener);
  }

  /** Goes to the issuer's sign-in page; the browser comes back to /auth/callback. */
  async signIn(): Promise<void> {
    const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
    const url = new URL(this.config.authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.config.clientId,
      redirect_uri: this.redirectUri(),
      scope: this.config.scopes.join(" "),
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }).toString();
    location.assign(url.toString());
  }

  /**
   * On /auth/callback: checks `state`, exchanges the code with the verifier, and puts the address
   * bar back to "/". Elsewhere: nothing. Throws a SignInError with what went wrong.
   */
  async completeSignIn(): Promise<boolean> {
    if (location.pathname !== AUTH_CALLBACK_PATH) return false;
    const params = new URLSearchParams(location.search);
    const pendingRaw = sessionStorage.getItem(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    history.replaceState(null, "", "/");
    const pending = pendingRaw ? (JSON.parse(pendingRaw) as { verifier: string; state: string }) : undefined;
    if (params.get("error")) throw new SignInError(`The sign-in did not complete (${params.get("error")}). Please try again.`);
    const code = params.get("code");
    if (!pending || !code || params.get("state") !== pending.state) {
      throw new SignInError("This sign-in link is not one this page started. Please sign in again.");
    }
    const ok = await this.tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: this.redirectUri(),
      client_id: this.config.clientId,
      code_verifier: pending.verifier,
    });
    if (!ok) throw new SignInError("The sign-in could not be completed. Please try again.");
    return true;
  }

  /**
   * A current access token: refreshed first when it expires within 30 s. Undefined when signed
   * out, or when it expired and could not be refreshed (the state is then "expired").
   */
  async accessToken(): Promise<string | undefined> {
    if (!this.session) return undefined;
    if (Date.now() < this.session.expiresAt - EXPIRY_MARGIN_MS) return this.session.accessToken;
    return (await this.refresh()) ? this.session?.accessToken : undefined;
  }

  /** The API refused the token (401): it expired or was revoked. Tries a refresh once. */
  async rejected(): Promise<boolean> {
    return this.refresh();
  }

  /** Forgets the tokens and ends the issuer's session; the issuer sends the browser back to "/". */
  signOut(): void {
    const idToken = this.session?.idToken;
    this.session = undefined;
    this.set("signed-out");
    const back = `${location.origin}${AUTH_LOGOUT_PATH}`;
    const url = new URL(this.config.logoutEndpoint);
    // Cognito's /logout takes client_id + logout_uri; an OpenID Connect end-session endpoint takes
    // post_logout_redirect_uri (+ client_id, id_token_hint). Each ignores the other's parameters.
    const params: Record<string, string> = { client_id: this.config.clientId, logout_uri: back, post_logout_redirect_uri: back };
    if (idToken) params.id_token_hint = idToken;
    url.search = new URLSearchParams(params).toString();
    location.assign(url.toString());
  }

  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const refreshToken = this.session?.refreshToken;
      const ok =
        refreshToken !== undefined &&
        (await this.tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: this.config.clientId }));
      if (!ok) {
        this.session = undefined;
        this.set("expired");
      }
      return ok;
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async tokenRequest(form: Record<string, string>): Promise<boolean> {
    let body: Record<string, unknown>;
    try {
      const response = await fetch(this.config.tokenEndpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
        credentials: "omit",
      });
      if (!response.ok) return false;
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      return false;
    }
    const { access_token, id_token, refresh_token, expires_in } = body;
    const idToken = typeof id_token === "string" ? id_token : this.session?.idToken;
    const claims = idToken ? jwtClaims(idToken) : undefined;
    if (typeof access_token !== "string" || !idToken || typeof claims?.sub !== "string") return false;
    this.session = {
      accessToken: access_token,
      idToken,
      // A refresh answer may omit the refresh token (Cognito does): the old one stays valid.
      refreshToken: typeof refresh_token === "string" ? refresh_token : this.session?.refreshToken,
      expiresAt: Date.now() + (typeof expires_in === "number" ? expires_in : 3600) * 1000,
      sub: claims.sub,
      email: typeof claims.email === "string" ? claims.email : undefined,
    };
    this.set("signed-in");
    return true;
  }

  private redirectUri(): string {
    return `${location.origin}${AUTH_CALLBACK_PATH}`;
  }

  private set(state: AuthState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A JWT's payload, decoded without checking it (only for what the page shows). */
function jwtClaims(jwt: string): Record<string, unknown> | undefined {
  try {
    const part = jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
