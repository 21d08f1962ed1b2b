/**
 * The web app in development: Vite's dev server (hot reload) with web/vite.config.ts, plus a
 * /config.json pointing at the local API, as the app stack's generated one points at the real one.
 */
import { createServer as createHttpServer } from "node:http";
import { fileURLToPath } from "node:url";
import { createServer, type Plugin } from "vite";
import { isClientRoute } from "../../modules/spa-routing.js";
import type { WebAuthConfig } from "../../web/src/auth-config.js";
import { closeServer, listen } from "./listen.js";

const VITE_CONFIG = fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url));

export interface WebServerOptions {
  /** @default 5173 (0 = a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** The API URL config.json carries; read per request (the API may start after the web server). */
  apiUrl: () => string;
  /** config.json's `auth` (the dev issuer), read per request; undefined with auth "none". @default none */
  auth?: () => WebAuthConfig | undefined;
}

export interface WebServer {
  /** e.g. "http://127.0.0.1:5173" (no trailing slash): also the origin the API's CORS allows. */
  url: string;
  port: number;
  close(): Promise<void>;
}

function configJson(apiUrl: () => string, auth: () => WebAuthConfig | undefined): Plugin {
  return {
    name: "local-config-json",
    configureServer(server) {
      server.middlewares.use("/config.json", (req, res, next) => {
        if (req.url !== "/" && req.url !== "") return next();
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.setHeader("cache-control", "no-cache");
        const authConfig = auth();
        res.end(JSON.stringify(authConfig ? { apiUrl: apiUrl(), auth: authConfig } : { apiUrl: apiUrl() }));
      });
    },
  };
}

/**
 * The deployed routing, locally: Vite's SPA fallback answers a missing `/assets/x.js` with
 * index.html and 200; CloudFront answers it 404 (modules/spa-routing.ts). Installed as a post
 * hook, it sees only what Vite's module and static middlewares did not serve, after the fallback
 * rewrote it to /index.html: a rewritten file path becomes a 404, a client-side route goes on.
 */
function spaRouting(): Plugin {
  return {
    name: "local-spa-routing",
    configureServer(server) {
      return () => {
        server.middlewares.use((req, res, next) => {
          const original = ((req as { originalUrl?: string }).originalUrl ?? req.url ?? "/").split("?")[0]!;
          const rewritten = (req.url ?? "/").split("?")[0] === "/index.html" && original !== "/index.html";
          if ((req.method === "GET" || req.method === "HEAD") && rewritten && !isClientRoute(original)) {
            res.statusCode = 404;
            res.setHeader("content-type", "text/plain; charset=utf-8");
            res.end("Not Found");
            return;
          }
          next();
        });
      };
    },
  };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  // Middleware mode on our own HTTP server: Vite's standalone server would install a SIGTERM
  // handler that exits the process before the data store is flushed.
  const httpServer = createHttpServer();
  const vite = await createServer({
    configFile: VITE_CONFIG,
    appType: "spa",
    server: { middlewareMode: true, ws: { server: httpServer } },
    plugins: [configJson(options.apiUrl, options.auth ?? (() => undefined)), spaRouting()],
    logLevel: "warn",
  });
  httpServer.on("request", vite.middlewares);
  let port: number;
  try {
    port = await listen(httpServer, options.port ?? 5173, host, "Web");
  } catch (e) {
    await vite.close();
    throw e;
  }
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      await vite.close();
      await closeServer(httpServer);
    },
  };
}
