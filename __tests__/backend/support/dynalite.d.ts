declare module "dynalite" {
  import type { Server } from "node:http";
  /** dynalite 4: an in-memory DynamoDB-compatible HTTP server (not yet listening). */
  export default function dynalite(options?: { createTableMs?: number; deleteTableMs?: number; path?: string }): Server;
}
