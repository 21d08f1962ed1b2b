/**
 * The whole local stack of `npm run dev`, as a library (the dev script, the tests and the
 * benchmark start it): embedded DynamoDB with the app's table, the handler (reloaded on change),
 * the HTTP API stand-in, and optionally the web app's dev server.
 */
import { fileURLToPath } from "node:url";
import { API_CORS, ENV } from "../../backend/src/contract.js";
import { CORS_METHODS, ROUTE_KEYS, ROUTES, type RouteName, routeKey } from "../../backend/src/routes.js";
import { createTableInput, usersTableShape, withListKeys } from "../../backend/src/table-definition.js";
import { type AppConfig, loadConfig, stageName } from "../../stacks/config.js";
import type { WebAuthConfig } from "../../web/src/auth-config.js";
import { type LambdaHandler, startApiServer } from "./api-server.js";
import type { DevIssuer, DevIssuerOptions } from "./dev-issuer.js";
import { ensureTable, LOCAL_AWS_ENV, startDynamoDb } from "./dynamodb.js";
import { startHandlerLoader } from "./handler-loader.js";
import { jwtAuthorizer } from "./jwt-authorizer.js";
import { startWebServer } from "./web-server.js";

const BACKEND_SRC = fileURLToPath(new URL("../../backend/src/", import.meta.url));

export interface LocalStackOptions {
  /** @default 3001 (0 = a free port) */
  apiPort?: number;
  /** @default 5173 (0 = a free port) */
  webPort?: number;
  /** Serve the web app too. @default true */
  web?: boolean;
  /** LevelDB folder for the data; undefined keeps it in memory. @default undefined */
  dataDir?: string;
  /**
   * A handler to call as it is (tests, benchmark); undefined bundles backend/src/handler.ts and
   * reloads it whenever backend/src changes. @default undefined
   */
  handler?: LambdaHandler;
  /** Extra origins the API's CORS allows (tests). @default [] */
  extraOrigins?: string[];
  /** @default loadConfig(process.env) */
  config?: AppConfig;
  /** One line per request and per reload. @default no logging */
  log?: (line: string) => void;
  /** With the config's `auth` "cognito": the dev issuer's port. @default 3002 (0 = a free port) */
  issuerPort?: number;
  /** With the config's `auth` "cognito": more dev issuer settings (tests). @default none */
  issuer?: Pick<DevIssuerOptions, "signingKey" | "accessTokenTtlSeconds">;
}

export interface LocalStack {
  apiUrl: string;
  /** Undefined when `web` is false. */
  webUrl?: string;
  dynamoDbEndpoint: string;
  tableName: string;
  /** With the config's `auth` "cognito": the dev issuer (what config.json's `auth` points at). */
  auth?: WebAuthConfig;
  /** Stops everything; the data is flushed to disk when persisted. */
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const config = options.config ?? loadConfig(process.env);
  const tableName = stageName(config, config.table_name);
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  };
  try {
    const dynamo = await startDynamoDb({ dataDir: options.dataDir });
    closers.push(dynamo.close);
    const hashKey = config.table_hash_key;
    const { upgradedItems } = await ensureTable(dynamo.endpoint, createTableInput(tableName, usersTableShape(hashKey)), (item) =>
      withListKeys(item, hashKey),
    );
    if (upgradedItems !== undefined)
      options.log?.(`table ${tableName}: rebuilt in the current shape (list index), ${upgradedItems} item(s) kept`);

    // What the app stack sets on the function, plus what points the SDK at dynalite.
    Object.assign(process.env, LOCAL_AWS_ENV, {
      [ENV.tableName]: tableName,
      [ENV.tableKeyAttribute]: config.table_hash_key,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    });

    let getHandler: () => LambdaHandler;
    if (options.handler) {
      const fixed = options.handler;
      getHandler = () => fixed;
    } else {
      const loader = await startHandlerLoader({ entry: `${BACKEND_SRC}handler.ts`, watchDir: BACKEND_SRC, log: options.log });
      closers.push(loader.close);
      getHandler = loader.current;
    }

    let apiUrl = "";
    let issuer: DevIssuer | undefined;
    const web =
      options.web === false
        ? undefined
        : await startWebServer({ port: options.webPort ?? 5173, apiUrl: () => apiUrl, auth: () => issuer?.webAuthConfig });
    if (web) closers.push(web.close);
    const webOrigins = web ? [web.url, web.url.replace("127.0.0.1", "localhost")] : [];

    // auth "cognito": a local OpenID Connect issuer stands in for the user pool, and the local
    // gateway checks its tokens on the routes the app stack guards.
    let jwt: Parameters<typeof startApiServer>[0]["jwt"];
    if (config.auth === "cognito") {
      // Loaded only with sign-in on: oidc-provider is a dev dependency of the dev issuer alone.
      const { startDevIssuer } = await import("./dev-issuer.js");
      issuer = await startDevIssuer({
        port: options.issuerPort ?? 3002,
        webOrigins: [...webOrigins, ...(options.extraOrigins ?? [])],
        ...options.issuer,
      });
      closers.push(issuer.close);
      const guarded = (Object.keys(ROUTES) as RouteName[]).filter((name) => ROUTES[name].authorization === "jwt");
      jwt = {
        authorize: jwtAuthorizer({ issuer: issuer.issuer, audience: [issuer.clientId] }),
        routes: new Map(guarded.map((name) => [routeKey(name), (ROUTES[name] as { scopes?: readonly string[] }).scopes ?? []])),
      };
    }

    const api = await startApiServer({
      getHandler,
      routeKeys: ROUTE_KEYS,
      // The same CORS the app stack gives API Gateway.
      cors: {
        allowOrigins: [...webOrigins, ...(options.extraOrigins ?? [])],
        allowMethods: CORS_METHODS,
        allowHeaders: API_CORS.allowHeaders,
        exposeHeaders: API_CORS.exposeHeaders,
        maxAge: API_CORS.maxAgeSeconds,
      },
      port: options.apiPort ?? 3001,
      function: {
        functionName: stageName(config, config.lambda_name),
        memoryMb: config.lambda_memory,
        timeoutSeconds: config.lambda_timeout,
        region: LOCAL_AWS_ENV.AWS_REGION,
      },
      log: options.log,
      jwt,
    });
    closers.push(api.close);
    apiUrl = api.url;

    return { apiUrl, webUrl: web?.url, dynamoDbEndpoint: dynamo.endpoint, tableName, auth: issuer?.webAuthConfig, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
