import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import { LOCAL_ACCOUNT_ID } from "./http-api-event.js";

export interface FunctionSettings {
  /** @default "backend-api" (the config's lambda_name default) */
  functionName?: string;
  /** @default 256 */
  memoryMb?: number;
  /** @default 5 */
  timeoutSeconds?: number;
  /** @default "us-east-1" */
  region?: string;
}

/** The Lambda context object for one invocation, with the deadline the timeout sets. */
export function lambdaContext(settings: FunctionSettings, deadline: number): Context {
  const functionName = settings.functionName ?? "backend-api";
  const unsupported = () => {
    throw new Error("callback-style context methods are not supported; return a value from the async handler");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${settings.region ?? "us-east-1"}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(settings.memoryMb ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
