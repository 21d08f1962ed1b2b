/**
 * npm run backfill-list-index: gives users created before the list index (GET /users, newest
 * first) its keys, on the deployed table of the APP_CONFIG config, with your AWS credentials.
 * docs/data-model.md says when it is needed.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ConfigError, loadConfig, stageName } from "../stacks/config.js";
import { backfillListIndex } from "./data/backfill-list-index.js";
import { runCli } from "./lib/cli.js";

const usage = `Usage: npm run backfill-list-index

Scans the app's DynamoDB table (the APP_CONFIG config's table_name, stage and aws_region) for
users without the list index's keys and sets them from each user's own id and CreatedAt. Safe to
run again, and while the API serves. Reads every item once: about 0.5 RCU per 4 KB scanned.`;

await runCli({ name: "npm run backfill-list-index", usage, options: {}, expected: [ConfigError] }, async () => {
  const config = loadConfig(process.env);
  const tableName = stageName(config, config.table_name);
  const client = new DynamoDBClient({ region: config.aws_region });
  try {
    console.log(`Backfilling the list keys of table ${tableName} (${config.aws_region})...`);
    const result = await backfillListIndex({ client, tableName, hashKey: config.table_hash_key, log: (line) => console.log(line) });
    console.log(`Done: ${result.updated} user(s) updated, ${result.skipped} without CreatedAt left out, ${result.scanned} item(s) read.`);
  } finally {
    client.destroy();
  }
});
