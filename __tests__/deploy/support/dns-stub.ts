/**
 * A local DNS server (UDP) for the delegation check: answers NS queries from a table and NXDOMAIN
 * for any other name. The code under test reaches it through DEPLOY_DNS_SERVERS, with node:dns's
 * own resolver parsing real DNS answers, so the check is exercised as it runs against the internet.
 */
import { createSocket, type Socket } from "node:dgram";
import { afterAll, beforeAll } from "vitest";

const TYPE_NS = 2;
const CLASS_IN = 1;

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, "").split(".").filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, "ascii")])), Buffer.from([0])]);
}

/** The question's name and where the question section ends. */
function readQuestion(packet: Buffer): { name: string; type: number; end: number } {
  let offset = 12;
  const labels: string[] = [];
  while (packet[offset]! > 0) {
    const length = packet[offset]!;
    labels.push(packet.subarray(offset + 1, offset + 1 + length).toString("ascii"));
    offset += length + 1;
  }
  offset += 1;
  return { name: labels.join(".").toLowerCase(), type: packet.readUInt16BE(offset), end: offset + 4 };
}

export class DnsStub {
  /** NS records per domain (lower case, no trailing dot); a name not here answers NXDOMAIN. */
  nameServers: Record<string, string[]> = {};
  queries: string[] = [];
  private socket: Socket | undefined;

  async start(): Promise<string> {
    this.socket = createSocket("udp4");
    this.socket.on("message", (packet, peer) => {
      const { name, type, end } = readQuestion(packet);
      this.queries.push(name);
      const records = type === TYPE_NS ? this.nameServers[name] : undefined;
      const known = name in this.nameServers;
      const header = Buffer.alloc(12);
      header.writeUInt16BE(packet.readUInt16BE(0), 0); // same id
      header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2); // response, recursion available, NOERROR or NXDOMAIN
      header.writeUInt16BE(1, 4); // one question
      header.writeUInt16BE(records?.length ?? 0, 6);
      const answers = (records ?? []).map((ns) => {
        const rdata = encodeName(ns);
        const fixed = Buffer.alloc(12);
        fixed.writeUInt16BE(0xc00c, 0); // the question's name
        fixed.writeUInt16BE(TYPE_NS, 2);
        fixed.writeUInt16BE(CLASS_IN, 4);
        fixed.writeUInt32BE(300, 6);
        fixed.writeUInt16BE(rdata.length, 10);
        return Buffer.concat([fixed, rdata]);
      });
      this.socket!.send(Buffer.concat([header, packet.subarray(12, end), ...answers]), peer.port, peer.address);
    });
    await new Promise<void>((resolve) => this.socket!.bind(0, "127.0.0.1", resolve));
    return `127.0.0.1:${this.socket.address().port}`;
  }

  stop(): void {
    this.socket?.close();
  }
}

/** One DNS stub per test file; its address is the value for DEPLOY_DNS_SERVERS. */
export function useDnsStub(): { stub: DnsStub; server: () => string } {
  const stub = new DnsStub();
  let address = "";
  beforeAll(async () => {
    address = await stub.start();
  });
  afterAll(() => stub.stop());
  return { stub, server: () => address };
}
