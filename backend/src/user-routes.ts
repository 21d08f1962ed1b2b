import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { ApiError, jsonResponse } from "./api-error.js";
import { callerOf } from "./caller.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { checkJsonContentType, readJsonBody } from "./request-body.js";
import type { RouteName } from "./routes.js";
import { validateNewUser, validateUserId } from "./user-schema.js";
import { UserExistsError, usersTableFromEnv } from "./users-table.js";

/** What a route handler gets: the raw event plus what the router already worked out. */
export interface RouteRequest {
  event: APIGatewayProxyEventV2;
  pathParameters: Record<string, string | undefined>;
  /** Aborts DynamoDB calls shortly before the function would time out (then the answer is 503). */
  signal?: AbortSignal;
}

type RouteHandler = (request: RouteRequest) => Promise<APIGatewayProxyStructuredResultV2>;

export const LIST_LIMIT = { default: 20, max: 100 } as const;

/** The blog's success message for a create. */
export const CREATED_MESSAGE = "User created successfully";

/**
 * The query string, with only the given names allowed, each at most once. Anything else is a
 * 400: a parameter can never override a body field or slip past validation unnoticed.
 */
function readQuery(event: APIGatewayProxyEventV2, allowed: readonly string[]): Map<string, string> {
  const params = new URLSearchParams(event.rawQueryString ?? "");
  const query = new Map<string, string>();
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    const key = name.slice(0, 64);
    if (!allowed.includes(name)) fields[key] = "is not allowed";
    else if (query.has(name)) fields[key] = "must appear at most once";
    else query.set(name, value);
  }
  if (Object.keys(fields).length > 0) {
    throw new ApiError(400, "invalid_query", "The query string is not valid.", { fields });
  }
  return query;
}

function pathUserId(request: RouteRequest): string {
  const userId = request.pathParameters.userId;
  const problem = validateUserId(userId);
  if (problem) throw new ApiError(400, "invalid_path", "The user id is not valid.", { fields: { userId: problem } });
  return userId!;
}

/** The Idempotency-Key request header (IETF draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
/** Printable ASCII, 1-255 characters: a UUID or any opaque string a client generates. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$/;

function readIdempotencyKey(event: APIGatewayProxyEventV2): string | undefined {
  const value = event.headers?.[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return undefined;
  // API Gateway joins repeated headers with commas; one key is one value.
  if (!IDEMPOTENCY_KEY.test(value) || value.includes(",")) {
    throw new ApiError(400, "invalid_header", "The Idempotency-Key header is not valid.", {
      fields: { "Idempotency-Key": "must be 1-255 printable ASCII characters without commas" },
    });
  }
  return value;
}

/**
 * Creates a user. Anonymous (auth "none"): the body names the userId. Signed in: the record is the
 * caller's own, keyed by the token's `sub`; the body holds only name and email, and a `userId` in
 * it is refused, so nobody can create a record for another identity. One record per identity
 * follows from the conditional write on the key (a second create is 409).
 */
const createUser: RouteHandler = async ({ event, signal }) => {
  readQuery(event, []);
  const caller = callerOf(event);
  checkJsonContentType(event.headers);
  const idempotencyKey = readIdempotencyKey(event);
  const result = validateNewUser(readJsonBody(event), caller?.sub);
  if (!result.ok) {
    throw new ApiError(400, "invalid_body", "The body is not a valid user.", { fields: result.fields });
  }
  try {
    // The same key and body as a create already stored answer as that create did (201).
    const user = await usersTableFromEnv().create(result.value, { signal, idempotencyKey });
    return jsonResponse(
      201,
      { message: CREATED_MESSAGE, userId: user.userId },
      {
        location: `/users/${encodeURIComponent(user.userId)}`,
      },
    );
  } catch (error) {
    if (error instanceof UserExistsError) {
      throw caller
        ? new ApiError(409, "user_exists", "You already have a user record.")
        : new ApiError(409, "user_exists", "A user with this userId already exists.");
    }
    throw error;
  }
};

/** The caller's own record, with its e-mail. Only a signed-in caller has one to ask for. */
const me: RouteHandler = async ({ event, signal }) => {
  readQuery(event, []);
  const caller = callerOf(event);
  if (!caller) throw new ApiError(401, "not_signed_in", "Sign in to read your own record.");
  const user = await usersTableFromEnv().getOwn(caller.sub, { signal });
  if (!user) throw new ApiError(404, "not_found", "You have no user record yet.");
  return jsonResponse(200, user);
};

/** Anyone's public record: never the e-mail (the read does not even fetch it). */
const getUser: RouteHandler = async (request) => {
  readQuery(request.event, []);
  const userId = pathUserId(request);
  const user = await usersTableFromEnv().get(userId, { signal: request.signal });
  if (!user) throw new ApiError(404, "not_found", "No user has this userId.");
  return jsonResponse(200, user);
};

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return LIST_LIMIT.default;
  const limit = /^[1-9][0-9]{0,2}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit <= LIST_LIMIT.max)) {
    throw new ApiError(400, "invalid_query", "The query string is not valid.", {
      fields: { limit: `must be an integer from 1 to ${LIST_LIMIT.max}` },
    });
  }
  return limit;
}

const listUsers: RouteHandler = async ({ event, signal }) => {
  const query = readQuery(event, ["limit", "cursor"]);
  const limit = parseLimit(query.get("limit"));
  const rawCursor = query.get("cursor");
  const after = rawCursor === undefined ? undefined : decodeCursor(rawCursor);
  if (rawCursor !== undefined && after === undefined) {
    throw new ApiError(400, "invalid_query", "The query string is not valid.", {
      fields: { cursor: "is not a cursor this API returned" },
    });
  }
  const page = await usersTableFromEnv().list(limit, after, { signal });
  return jsonResponse(200, {
    items: page.items,
    nextCursor: page.lastListKey === undefined ? null : encodeCursor(page.lastListKey),
  });
};

/** Liveness only: answers without touching DynamoDB, so it costs nothing and never throttles. */
const health: RouteHandler = async ({ event }) => {
  readQuery(event, []);
  return jsonResponse(200, { status: "ok" });
};

export const ROUTE_HANDLERS: Record<RouteName, RouteHandler> = { createUser, me, getUser, listUsers, health };
