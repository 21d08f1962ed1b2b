import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { AppConfig } from "./config.js";
import { stateRegion } from "./state-backend.js";

/** Tags every resource carries (provider default_tags), plus the user's own. */
export function defaultTags(config: AppConfig): Record<string, string> {
  return { Project: config.project_name, Stage: config.stage, ManagedBy: "cdktf", ...config.tags };
}

/** The stack's default AWS provider, in the configured region. */
export function awsProvider(scope: Construct, config: AppConfig): AwsProvider {
  return new AwsProvider(scope, "aws", { region: config.aws_region, defaultTags: [{ tags: defaultTags(config) }] });
}

/**
 * A second provider pinned to us-east-1: AWS provider 5.x has no per-resource region, and
 * CloudFront only takes certificates and web ACLs from us-east-1.
 */
export function usEast1Provider(scope: Construct, config: AppConfig): AwsProvider {
  return new AwsProvider(scope, "aws_us_east_1", { alias: "us_east_1", region: "us-east-1", defaultTags: [{ tags: defaultTags(config) }] });
}

/**
 * A provider in the state bucket's region, for the data sources that read it (S3 requests must go
 * to the bucket's region): the default one or the us-east-1 one when they match, else a third.
 */
export function stateRegionProvider(scope: Construct, config: AppConfig, usEast1: AwsProvider): AwsProvider | undefined {
  const region = stateRegion(config);
  if (region === config.aws_region) return undefined;
  if (region === "us-east-1") return usEast1;
  return new AwsProvider(scope, "aws_state_region", { alias: "state_region", region, defaultTags: [{ tags: defaultTags(config) }] });
}
