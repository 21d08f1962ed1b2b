import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The users table as the app stack declares it (on demand, one string hash key), for the local
 * dev server and the tests, so they create exactly the table the code will meet in AWS.
 * Type-only import: this module costs nothing at run time.
 */
export function createTableInput(tableName: string, keyAttribute: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: keyAttribute, AttributeType: "S" }],
    KeySchema: [{ AttributeName: keyAttribute, KeyType: "HASH" }],
  };
}
