/**
 * `npm run dev`: the whole app on this machine, no AWS, no Docker. Embedded DynamoDB (persisted
 * under .dev-data/ unless --in-memory), the Lambda handler behind a local HTTP API that behaves
 * like API Gateway (reloaded when backend/src changes), and the web app with hot reload.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../stacks/config.js";
import { type CommandLine, runCli, UsageError } from "./lib/cli.js";
import { LocalStackError } from "./local/errors.js";
import { type LocalStack, startLocalStack } from "./local/local-stack.js";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const USAGE = `Usage: npm run dev -- [--api-port N] [--web-port N] [--issuer-port N] [--in-memory | --data-dir DIR]
  --api-port N   port of the local API (default 3001; 0 = any free port)
  --web-port N   port of the web app (default 5173; 0 = any free port)
  --issuer-port N port of the sign-in issuer with auth "cognito" (default 3002; 0 = any free port)
  --in-memory    keep the data in memory only (default: persisted in .dev-data/dynamodb)
  --data-dir DIR where to persist the data (default .dev-data/dynamodb)`;

const OPTIONS = {
  "api-port": { type: "string" },
  "web-port": { type: "string" },
  "issuer-port": { type: "string" },
  "in-memory": { type: "boolean", default: false },
  "data-dir": { type: "string" },
} as const;

function port(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--${flag} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return Number(value);
}

function devOptions(values: CommandLine<typeof OPTIONS>["values"]) {
  if (values["in-memory"] && values["data-dir"]) throw new UsageError("--in-memory and --data-dir exclude each other");
  return {
    apiPort: port("api-port", values["api-port"], 3001),
    webPort: port("web-port", values["web-port"], 5173),
    issuerPort: port("issuer-port", values["issuer-port"], 3002),
    dataDir: values["in-memory"] ? undefined : resolve(values["data-dir"] ?? `${PROJECT_ROOT}.dev-data/dynamodb`),
  };
}

async function main({ values }: CommandLine<typeof OPTIONS>): Promise<void> {
  // The SDK warns on every start under Node 20 (its support ends in 2027): noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const flags = devOptions(values);
  const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 23)} ${line}`);
  const stack: LocalStack = await startLocalStack({
    apiPort: flags.apiPort,
    webPort: flags.webPort,
    issuerPort: flags.issuerPort,
    dataDir: flags.dataDir,
    log,
  });
  console.log(`API: ${stack.apiUrl}`);
  console.log(`Web: ${stack.webUrl}/`);
  if (stack.auth) console.log(`Sign-in: ${stack.auth.issuer} (development issuer: any e-mail address signs in, the first time signs up)`);
  console.log(`Data: ${flags.dataDir ?? "in memory (lost on exit)"}; table ${stack.tableName}. Ctrl-C stops.`);

  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // The same signal often arrives twice at once (the terminal signals the whole process
      // group and npm relays it too); only a later, deliberate second Ctrl-C forces the exit.
      if (Date.now() - stoppingSince > 500) process.exit(130);
      return;
    }
    stoppingSince = Date.now();
    console.log(`${signal}: stopping…`);
    stack.close().then(
      () => {
        console.log(`stopped${flags.dataDir ? "; data saved" : ""}`);
        process.exit(0);
      },
      (e: unknown) => {
        console.error(`npm run dev: stopping failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  // package.json runs this as `exec node --import tsx …`: npm forwards SIGINT/SIGTERM to its child
  // only, and a shell left between npm and node would swallow SIGINT and die of SIGTERM, orphaning
  // the server. Not the tsx command: its parent process relays a signal and, when the child has not
  // acknowledged it within 30 ms twice (a busy event loop, a loaded machine), SIGKILLs it, so the
  // requests in flight and the data were lost (tsx 4 cli.mjs, relaySignalToChild).
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

const code = await runCli({ name: "npm run dev", usage: USAGE, options: OPTIONS, expected: [LocalStackError, ConfigError] }, main);
if (code !== 0) process.exit(code); // whatever had started (a server, the database) must not keep us alive
