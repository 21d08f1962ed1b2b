/**
 * The web app in development: Vite's dev server (hot reload) with web/vite.config.ts, plus a
 * /config.json pointing at the local API, as the app stack's generated one points at the real one.
 */
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createServer, type Plugin } from "vite";
import { LocalStackError } from "./errors.js";

const VITE_CONFIG = fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url));

export interface WebServerOptions {
  /** @default 5173 (0 = a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** The API URL config.json carries; read per request (the API may start after the web server). */
  apiUrl: () => string;
}

export interface WebServer {
  /** e.g. "http://127.0.0.1:5173" (no trailing slash): also the origin the API's CORS allows. */
  url: string;
  port: number;
  close(): Promise<void>;
}

function configJson(apiUrl: () => string): Plugin {
  return {
    name: "local-config-json",
    configureServer(server) {
      server.middlewares.use("/config.json", (req, res, next) => {
        if (req.url !== "/" && req.url !== "") return next();
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.setHeader("cache-control", "no-cache");
        res.end(JSON.stringify({ apiUrl: apiUrl() }));
      });
    },
  };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 5173;
  const server = await createServer({
    configFile: VITE_CONFIG,
    server: { host, port, strictPort: true },
    plugins: [configJson(options.apiUrl)],
    logLevel: "warn",
  });
  try {
    await server.listen();
  } catch (e) {
    await server.close();
    const message = (e as Error).message;
    if (/already in use/i.test(message)) {
      throw new LocalStackError(`Web port ${port} on ${host} is already in use; pick another with --web-port (0 = any free port)`);
    }
    throw new LocalStackError(`web server cannot start: ${message.split("\n")[0]}`);
  }
  const bound = (server.httpServer?.address() as AddressInfo).port;
  return { url: `http://${host}:${bound}`, port: bound, close: () => server.close() };
}
