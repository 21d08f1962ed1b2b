/**
 * What the infrastructure and the backend must agree on, in one place with no runtime
 * dependencies, so the app stack can import it without pulling in the AWS SDK.
 */

/** Environment variables the app stack sets on the function (and the local server sets too). */
export const ENV = {
  /** Name of the DynamoDB table. */
  tableName: "TABLE_NAME",
  /** Name of the table's hash-key attribute (the blog's "UserId"); the API field stays userId. */
  tableKeyAttribute: "TABLE_KEY_ATTRIBUTE",
} as const;

/**
 * The DynamoDB actions the backend code uses, and so exactly what the function's IAM policy
 * grants on the table. The backend owns this list; a test holds it to the code.
 */
export const DYNAMODB_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"] as const;

/** The container image: handler command and base image (backend/Dockerfile must match). */
export const LAMBDA_IMAGE = {
  command: ["index.handler"],
  baseImage: "public.ecr.aws/lambda/nodejs:22",
} as const;

/**
 * CORS of the HTTP API, answered by API Gateway itself (the function never sees a preflight).
 * The app stack and the local server both read it, so they cannot drift apart. `idempotency-key`
 * lets the web app make its creates safe to retry; `authorization` carries the access token
 * when sign-in is on (`auth: "cognito"`). `retry-after` and
 * `location` are exposed so the web app can read them from cross-origin responses.
 */
export const API_CORS = {
  // authorization: the bearer token of a signed-in user (config `auth: "cognito"`, docs/auth.md).
  allowHeaders: ["content-type", "idempotency-key", "authorization"],
  exposeHeaders: ["location", "retry-after"],
  maxAgeSeconds: 3600,
} as const;
