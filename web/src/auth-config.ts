/**
 * The `auth` object of /config.json, present only when the config's `auth` is "cognito". The app
 * stack writes it from the user pool it creates (stacks/app-stack.ts), `npm run dev` from its local
 * issuer; the web app signs in with it. Types and constants only: no runtime dependencies, so
 * both the stacks and the web bundle import this file.
 */
export interface WebAuthConfig {
  /** The token issuer, e.g. "https://cognito-idp.<region>.amazonaws.com/<pool id>" (the tokens' `iss`). */
  issuer: string;
  /** The public app client's id (no secret): `client_id` of the authorize and token requests. */
  clientId: string;
  /** Where the browser goes to sign in: "https://<login domain>/oauth2/authorize". */
  authorizationEndpoint: string;
  /** Where the code (with the PKCE verifier) is exchanged for tokens: "https://<login domain>/oauth2/token". */
  tokenEndpoint: string;
  /** Where the browser goes to sign out: "https://<login domain>/logout" (with client_id and logout_uri). */
  logoutEndpoint: string;
  /** The scopes the sign-in asks for. */
  scopes: string[];
}

/** The redirect (callback) URI's path on the web origin: the app client allows exactly `<origin>/auth/callback`. */
export const AUTH_CALLBACK_PATH = "/auth/callback";
/** The sign-out URI's path on the web origin: the app client allows exactly `<origin>/`. */
export const AUTH_LOGOUT_PATH = "/";
/** The scopes the web app asks for; the API's routes require one of them (backend/src/routes.ts). */
export const AUTH_SCOPES = ["openid", "email", "profile"] as const;
