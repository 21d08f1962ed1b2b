import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ApiError } from "./api-error.js";
import { validateUserId } from "./user-schema.js";

/**
 * Who is calling, as API Gateway's JWT authorizer verified it. On a route with the authorizer
 * the gateway has already checked the token's signature, issuer, audience, expiry and scopes, and
 * only then invokes the function with the token's claims (string values) under
 * `requestContext.authorizer.jwt` (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
 * The function never sees an unverified token, so it reads the claims and checks nothing else;
 * `npm run dev` fills the same fields after the same checks.
 */
export interface Caller {
  /** The token's `sub`: the identity's stable id at the issuer (a UUID in a Cognito user pool). */
  sub: string;
  /** The token's scopes (space-separated `scope` claim), as the gateway passes them. */
  scopes: string[];
}

interface JwtAuthorizerContext {
  jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null };
}

/**
 * The verified caller, or undefined when the route has no authorizer (config `auth: "none"`,
 * today's anonymous API). A `sub` this API cannot use as a user id (not 1-64 letters, digits,
 * "_" or "-") is refused with a 403 that says so, rather than stored in a form no URL can name.
 */
export function callerOf(event: APIGatewayProxyEventV2): Caller | undefined {
  const authorizer = (event.requestContext as { authorizer?: JwtAuthorizerContext } | undefined)?.authorizer;
  const claims = authorizer?.jwt?.claims;
  if (!claims) return undefined;
  const sub = claims.sub;
  if (typeof sub !== "string" || validateUserId(sub) !== undefined) {
    throw new ApiError(403, "unsupported_identity", "The sign-in identity's subject cannot be used as a user id.");
  }
  return { sub, scopes: authorizer?.jwt?.scopes ?? [] };
}
