/**
 * API Gateway's JWT authorizer, locally (with `jose`): the checks the gateway makes before it
 * invokes the function, and its answers when one fails.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 *
 * 1. The token is the Authorization header, alone or after "Bearer ".
 * 2. Its signature, with the key of its `kid` from the issuer's jwks_uri (read from the issuer's
 *    discovery document); only RSA algorithms, as the gateway supports only those.
 * 3. Claims: `iss` is the issuer; `aud` is one of the audiences, or, only when there is no `aud`
 *    (a Cognito access token), `client_id` is
 *    (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html);
 *    `exp` after now, `nbf` and `iat` before now; with route scopes, the `scope` (or `scp`) claim
 *    holds at least one of them.
 *
 * A token that fails is `401 {"message":"Unauthorized"}` with a `WWW-Authenticate: Bearer`
 * header naming the problem, as the troubleshooting page shows. A valid token without any of the
 * route's scopes is `403 {"message":"Forbidden"}` (`error="insufficient_scope"`, RFC 6750 section 3.1;
 * the REST API JWT authorizer page states the 403 for it:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-jwt-authorizer-methods.html).
 * A passing request carries the claims as strings, and the scopes, in
 * `requestContext.authorizer.jwt`.
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";

export interface JwtAuthorizerConfig {
  /** Must equal the tokens' `iss` exactly, e.g. "https://cognito-idp.<region>.amazonaws.com/<pool>". */
  issuer: string;
  /** The accepted `aud` (or `client_id`) values: the app client id. */
  audience: readonly string[];
}

export type JwtAuthorization =
  | { ok: true; claims: Record<string, string>; scopes: string[] | null }
  | { ok: false; statusCode: 401 | 403; message: "Unauthorized" | "Forbidden"; wwwAuthenticate: string };

/** The RSA algorithms API Gateway verifies. */
const RSA_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

export type JwtAuthorizer = (authorization: string | undefined, routeScopes?: readonly string[]) => Promise<JwtAuthorization>;

export function jwtAuthorizer(config: JwtAuthorizerConfig): JwtAuthorizer {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keySet = async () => {
    if (keys) return keys;
    const discovery = await fetch(`${config.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`);
    if (!discovery.ok) throw new Error(`the issuer's discovery document answered HTTP ${discovery.status}`);
    const { jwks_uri } = (await discovery.json()) as { jwks_uri?: string };
    if (typeof jwks_uri !== "string") throw new Error("the issuer's discovery document has no jwks_uri");
    keys = createRemoteJWKSet(new URL(jwks_uri));
    return keys;
  };

  return async (authorization, routeScopes = []) => {
    const unauthorized = (description: string): JwtAuthorization => ({
      ok: false,
      statusCode: 401,
      message: "Unauthorized",
      wwwAuthenticate: `Bearer scope="${routeScopes.join(" ")}" error="invalid_token" error_description="${description}"`,
    });
    const token = authorization?.trim().replace(/^Bearer\s+/i, "");
    if (!token) return unauthorized("the token is missing");

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await keySet(), {
        issuer: config.issuer,
        algorithms: RSA_ALGORITHMS,
        requiredClaims: ["exp"],
      }));
    } catch (e) {
      return unauthorized(describe(e));
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat === "number" && payload.iat > now) return unauthorized("the token was issued in the future");
    const audiences = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const audienceOk =
      payload.aud !== undefined
        ? audiences.some((a) => config.audience.includes(a))
        : typeof payload.client_id === "string" && config.audience.includes(payload.client_id);
    if (!audienceOk) return unauthorized("the token does not have a valid audience");

    const tokenScopes = scopesOf(payload);
    if (routeScopes.length > 0 && !routeScopes.some((s) => tokenScopes.includes(s))) {
      return {
        ok: false,
        statusCode: 403,
        message: "Forbidden",
        wwwAuthenticate: `Bearer scope="${routeScopes.join(" ")}" error="insufficient_scope" error_description="expected scopes: [${routeScopes.join(" ")}]"`,
      };
    }
    return { ok: true, claims: stringClaims(payload), scopes: routeScopes.length > 0 ? tokenScopes : null };
  };
}

function describe(e: unknown): string {
  if (e instanceof errors.JWTExpired) return "the token has expired";
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === "iss") return "the token does not have a valid issuer";
    if (e.claim === "nbf") return "the token is not valid yet";
    return `the token's ${e.claim} claim is not valid`;
  }
  if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey) return "signature is invalid";
  if (e instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not supported";
  return "the token is not a valid JWT";
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === "string") return raw.split(" ").filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === "string");
  return [];
}

/** Claims as the gateway hands them to the function: every value a string ("[a b]" for an array). */
function stringClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    out[name] =
      typeof value === "string"
        ? value
        : Array.isArray(value)
          ? `[${value.join(" ")}]`
          : typeof value === "object"
            ? JSON.stringify(value)
            : String(value);
  }
  return out;
}
