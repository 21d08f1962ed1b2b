/**
 * Preloaded with NODE_OPTIONS=--import into a command and every Node process it starts: records
 * each attempt to reach a host other than this machine (DNS lookup or TCP connect) as a JSON line
 * in $RECORD_NETWORK_LOG, and fails it as an unreachable network would. Local addresses and
 * Unix sockets pass (tsx talks to its child over one).
 */

import dns from "node:dns";
import { appendFileSync } from "node:fs";
import net from "node:net";

const log = process.env.RECORD_NETWORK_LOG;
const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0)$/i;

function record(kind, host, port) {
  if (log) appendFileSync(log, `${JSON.stringify({ kind, host, port, pid: process.pid, argv: process.argv.slice(1, 3) })}\n`);
}

function unreachable(host) {
  return Object.assign(new Error(`network disabled by record-network: ${host}`), { code: "ENETUNREACH", errno: -101, syscall: "connect" });
}

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (typeof hostname === "string" && !LOCAL.test(hostname) && net.isIP(hostname) === 0) {
    record("dns", hostname);
    const callback = rest.at(-1);
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", syscall: "getaddrinfo", hostname });
    process.nextTick(() => callback(error));
    return {};
  }
  return lookup.call(this, hostname, ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function (hostname, ...rest) {
  if (typeof hostname === "string" && !LOCAL.test(hostname) && net.isIP(hostname) === 0) {
    record("dns", hostname);
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", syscall: "getaddrinfo", hostname });
  }
  return promisesLookup.call(this, hostname, ...rest);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options = Array.isArray(args[0]) ? args[0][0] : typeof args[0] === "object" ? args[0] : { port: args[0], host: args[1] };
  const host = options?.host ?? "localhost";
  if (!options?.path && net.isIP(host) !== 0 && !LOCAL.test(host)) {
    record("connect", host, options.port);
    process.nextTick(() => this.destroy(unreachable(host)));
    return this;
  }
  return connect.apply(this, args);
};
