import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LocalStackError } from "./errors.js";

/** Listens and returns the bound port; a busy or forbidden port is a one-line LocalStackError. */
export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE") reject(new LocalStackError(`${what} port ${port} on ${host} is already in use; pick another with --${what.toLowerCase()}-port (0 = any free port)`));
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

/** Stops a server at once: close() alone would wait for kept-alive connections to go idle. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((e) => (e ? reject(e) : resolve()));
    server.closeAllConnections();
  });
}
