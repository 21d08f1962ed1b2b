import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LocalStackError } from "./errors.js";

/** Listens and returns the bound port; a busy or forbidden port is a one-line LocalStackError. */
export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE")
        reject(
          new LocalStackError(
            `${what} port ${port} on ${host} is already in use; pick another with --${what.toLowerCase()}-port (0 = any free port)`,
          ),
        );
      else if (e.code === "EACCES") reject(new LocalStackError(`${what} port ${port} needs privileges; use a port above 1023`));
      else reject(new LocalStackError(`${what} server cannot listen on ${host}:${port}: ${e.message}`));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops a server gracefully: it takes no new connections, closes the idle kept-alive ones, lets
 * the requests in flight finish, and after `graceMs` cuts whatever is left (a client that never
 * finishes its request). close() alone would wait for every kept-alive connection to time out.
 */
export function closeServer(server: Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    // A connection whose request was in flight becomes idle once its response is sent.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close((e) => {
      clearInterval(idle);
      clearTimeout(cut);
      if (e) reject(e);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
