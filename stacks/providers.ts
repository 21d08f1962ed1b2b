import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { AppConfig } from "./config.js";

/** Tags every resource carries (provider default_tags), plus the user's own. */
export function defaultTags(config: AppConfig): Record<string, string> {
  return { Project: config.project_name, Stage: config.stage, ManagedBy: "cdktf", ...config.tags };
}

/**
 * The stack's default AWS provider in the configured region. AWS provider 5.x has no per-resource
 * region, so resources that must live in us-east-1 (CloudFront's certificate and WAF) use a second,
 * aliased provider.
 */
export function awsProviders(scope: Construct, config: AppConfig): { main: AwsProvider; usEast1: AwsProvider } {
  const tags = [{ tags: defaultTags(config) }];
  const main = new AwsProvider(scope, "aws", { region: config.aws_region, defaultTags: tags });
  const usEast1 = new AwsProvider(scope, "aws_us_east_1", { alias: "us_east_1", region: "us-east-1", defaultTags: tags });
  return { main, usEast1 };
}
