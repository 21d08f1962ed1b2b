/**
 * Generates the `terraform test` file that plans and applies one synthesized stack against mock
 * providers. Mocks fill computed attributes with random strings, which the AWS provider's own
 * validators reject where an ARN, an account id or a JSON document is expected, so every resource
 * and data source type in the stack gets realistic defaults for those attributes (checked against
 * the provider schema, since a default for an attribute the type does not have is an error).
 * Cross-stack `terraform_remote_state` reads are overridden with values derived from the stack
 * that produces them.
 */

import type { SynthesizedStack, TfJson } from "../lib/synth-output.js";
import { hclAttributes, hclValue } from "./hcl.js";
import { releaseRuns } from "./release-runs.js";
import { type AttributeSchema, isComputed, type ProviderSchemas } from "./schema.js";

export const MOCK_ACCOUNT_ID = "123456789012";
const DIGEST = `sha256:${"0".repeat(64)}`;
const EMPTY_POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [] });

interface MockContext {
  region: string;
  /** Names on the stack's certificates (literal ones), for `domain_validation_options`. */
  certificateNames: string[];
}

const EC2_TYPE_PREFIXES = ["ec2", "vpc", "subnet", "security", "internet", "route", "network", "default", "eip", "nat", "flow"];

/** The ARN service of a resource type: aws_cloudwatch_log_group -> logs, aws_apigatewayv2_api -> apigateway. */
function arnService(type: string): string {
  if (type.startsWith("aws_cloudwatch_log")) return "logs";
  if (type.startsWith("aws_route53")) return "route53";
  const first = type.replace(/^aws_/, "").split("_")[0] ?? "mock";
  if (EC2_TYPE_PREFIXES.includes(first)) return "ec2";
  return first === "apigatewayv2" ? "apigateway" : first;
}

/** An ARN the provider's validators accept, shaped like the real one for the common services. */
export function mockArn(type: string, attr: string, region: string): string {
  const kind = type.replace(/^aws_[a-z0-9]+_?/, "").replace(/_/g, "-") || "resource";
  const service = arnService(type);
  switch (service) {
    case "iam":
      return `arn:aws:iam::${MOCK_ACCOUNT_ID}:${kind === "role-policy" ? "role" : kind}/mock-${kind}`;
    case "s3":
      return "arn:aws:s3:::mock-bucket";
    case "logs":
      return `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:/mock/log-group`;
    case "lambda":
      return `arn:aws:lambda:${region}:${MOCK_ACCOUNT_ID}:function:mock-function`;
    case "apigateway":
      return attr === "execution_arn"
        ? `arn:aws:execute-api:${region}:${MOCK_ACCOUNT_ID}:a1b2c3d4e5`
        : `arn:aws:apigateway:${region}::/apis/a1b2c3d4e5`;
    case "cloudfront":
    case "route53":
      return `arn:aws:${service}::${MOCK_ACCOUNT_ID}:${kind}/MOCK1234567890`;
    default:
      return `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${kind}/mock-${kind}`;
  }
}

/** Realistic values by (type, attribute); undefined leaves the mock's random value. */
function mockValue(type: string, attr: string, schema: AttributeSchema, ctx: MockContext): unknown {
  const isString = schema.type === "string";
  const byType: Record<string, Record<string, unknown>> = {
    aws_iam_policy_document: { json: EMPTY_POLICY, minified_json: EMPTY_POLICY },
    aws_ecr_image: {
      image_digest: DIGEST,
      image_uri: `${MOCK_ACCOUNT_ID}.dkr.ecr.${ctx.region}.amazonaws.com/mock@${DIGEST}`,
      image_tags: ["mock"],
    },
    aws_ecr_repository: { repository_url: `${MOCK_ACCOUNT_ID}.dkr.ecr.${ctx.region}.amazonaws.com/mock` },
    aws_availability_zones: {
      names: ["a", "b", "c"].map((z) => `${ctx.region}${z}`),
      zone_ids: ["1", "2", "3"].map((n) => `use1-az${n}`),
    },
    aws_region: { name: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com` },
    aws_partition: { partition: "aws", dns_suffix: "amazonaws.com", reverse_dns_prefix: "com.amazonaws" },
    aws_caller_identity: { account_id: MOCK_ACCOUNT_ID, user_id: "AIDAMOCKMOCKMOCKMOCK" },
    aws_apigatewayv2_api: { api_endpoint: `https://a1b2c3d4e5.execute-api.${ctx.region}.amazonaws.com` },
    aws_cloudfront_distribution: { domain_name: "d111111abcdef8.cloudfront.net", hosted_zone_id: "Z2FDTNDATAQYW2" },
    aws_route53_zone: { zone_id: "Z0123456789ABCDEFGHIJ", name_servers: ["ns-1.awsdns-00.com"] },
    aws_ec2_managed_prefix_list: { id: "pl-02cd2c6b" },
    aws_route_tables: { ids: ["rtb-0123456789abcdef0"] },
    // The zone apex's A record, which a Cognito custom login domain's check requires.
    aws_route53_records: { resource_record_sets: [{ name: "example.com.", type: "A" }] },
    aws_prefix_list: { id: "pl-02cd2c6b", cidr_blocks: ["52.94.0.0/22"] },
    aws_acm_certificate: {
      domain_validation_options: ctx.certificateNames.map((name) => ({
        domain_name: name,
        resource_record_name: `_0123456789abcdef.${name}.`,
        resource_record_type: "CNAME",
        resource_record_value: "_fedcba9876543210.mock.acm-validations.aws.",
      })),
    },
  };
  if (byType[type] && attr in byType[type]) return byType[type][attr];
  if (isString && (attr === "arn" || attr.endsWith("_arn"))) return mockArn(type, attr, ctx.region);
  if (isString && ["account_id", "owner_id", "registry_id"].includes(attr)) return MOCK_ACCOUNT_ID;
  return undefined;
}

/** Defaults for every computed attribute of `type` that needs a realistic value. */
function defaultsFor(type: string, attributes: Record<string, AttributeSchema> | undefined, ctx: MockContext) {
  const defaults: Record<string, unknown> = {};
  for (const [attr, schema] of Object.entries(attributes ?? {})) {
    if (!isComputed(schema)) continue;
    const value = mockValue(type, attr, schema, ctx);
    if (value !== undefined) defaults[attr] = value;
  }
  return defaults;
}

const REMOTE_STATE_REF = /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;
const SINGLE_REF = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

/** The value a producer's output would have: a literal, the producer's literal argument, or a mock. */
function outputValue(producer: TfJson, key: string, schemas: ProviderSchemas, ctx: MockContext): unknown {
  const value = producer.output?.[key]?.value;
  if (value === undefined) return `mock-${key}`;
  if (typeof value !== "string" || !value.includes("${")) return value;
  const m = SINGLE_REF.exec(value);
  if (!m) return `mock-${key}`;
  const [, isData, type, name, attr] = m as unknown as [string, string | undefined, string, string, string];
  const block = isData ? producer.data?.[type]?.[name] : producer.resource?.[type]?.[name];
  const literal = block?.[attr];
  if (literal !== undefined && !(typeof literal === "string" && literal.includes("${"))) return literal;
  const attrSchema = (isData ? schemas.dataSources : schemas.resources).get(type)?.[attr];
  return (attrSchema && mockValue(type, attr, attrSchema, ctx)) ?? `mock-${name}-${attr}`;
}

/** Which stack a remote-state data source reads: cdktf names it `cross-stack-reference-input-<stack id>`. */
function producerOf(name: string, block: TfJson, stacks: SynthesizedStack[], self: string): SynthesizedStack | undefined {
  const others = stacks.filter((s) => s.id !== self);
  const byName = others.find((s) => name === `cross-stack-reference-input-${s.id}`);
  if (byName) return byName;
  const path = JSON.stringify(block.config ?? {});
  return others.find((s) => path.includes(s.id)) ?? (others.length === 1 ? others[0] : undefined);
}

function stackRegion(json: TfJson): string {
  const providers = ([] as TfJson[]).concat(json.provider?.aws ?? []);
  const region = providers.find((p) => !p.alias)?.region;
  return typeof region === "string" && !region.includes("${") ? region : "us-east-1";
}

function certificateNames(json: TfJson): string[] {
  const names = new Set<string>();
  for (const cert of Object.values<TfJson>(json.resource?.aws_acm_certificate ?? {})) {
    for (const n of [cert.domain_name, ...(cert.subject_alternative_names ?? [])]) {
      if (typeof n === "string" && !n.includes("${")) names.add(n);
    }
  }
  return names.size ? [...names] : ["example.com"];
}

export interface GeneratedTest {
  /** The `.tftest.hcl` text. */
  text: string;
  /** Mock provider configurations written (e.g. `aws`, `aws.us_east_1`). */
  providers: string[];
  /** Remote-state data sources overridden. */
  overrides: string[];
}

/** The test file for `stack`: mocks for each provider configuration, remote state overridden, a plan run and an apply run. */
export function generateMockTest(stack: SynthesizedStack, allStacks: SynthesizedStack[], schemas: ProviderSchemas): GeneratedTest {
  const json = stack.json;
  const ctx: MockContext = { region: stackRegion(json), certificateNames: certificateNames(json) };

  const mockBlocks: string[] = [];
  for (const type of Object.keys(json.resource ?? {}).sort()) {
    const d = defaultsFor(type, schemas.resources.get(type), ctx);
    if (Object.keys(d).length) mockBlocks.push(`  mock_resource "${type}" {\n    defaults = {\n${hclAttributes(d, "      ")}\n    }\n  }`);
  }
  for (const type of Object.keys(json.data ?? {}).sort()) {
    if (type === "terraform_remote_state") continue;
    const d = defaultsFor(type, schemas.dataSources.get(type), ctx);
    if (Object.keys(d).length) mockBlocks.push(`  mock_data "${type}" {\n    defaults = {\n${hclAttributes(d, "      ")}\n    }\n  }`);
  }

  // one mock per provider configuration: the default one and every alias (e.g. us_east_1 for CloudFront's certificate)
  const sections: string[] = [];
  const providers: string[] = [];
  for (const [name, configs] of Object.entries<TfJson | TfJson[]>(json.provider ?? {})) {
    const aliases = ([] as TfJson[]).concat(configs).map((c) => (typeof c.alias === "string" ? c.alias : undefined));
    if (!aliases.includes(undefined)) aliases.unshift(undefined); // Terraform still needs the default configuration
    for (const alias of aliases) {
      const body = [alias ? `  alias = ${hclValue(alias)}` : "", ...(name === "aws" ? mockBlocks : [])].filter(Boolean);
      sections.push(`mock_provider "${name}" {\n${body.join("\n\n")}\n}`);
      providers.push(alias ? `${name}.${alias}` : name);
    }
  }

  const overrides: string[] = [];
  const text = JSON.stringify(json);
  const release = releaseRuns(json);
  for (const [name, block] of Object.entries<TfJson>(json.data?.terraform_remote_state ?? {})) {
    if (release.ownState.includes(name)) {
      // The stack's own last apply: none in the plain runs (a first deploy); the release runs set one.
      sections.push(`override_data {\n  target = data.terraform_remote_state.${name}\n  values = {\n    outputs = {}\n  }\n}`);
      overrides.push(`data.terraform_remote_state.${name} (the stack's own last apply)`);
      continue;
    }
    const keys = new Set<string>();
    for (const m of text.matchAll(REMOTE_STATE_REF)) if (m[1] === name && m[2]) keys.add(m[2]);
    const producer = producerOf(name, block, allStacks, stack.id);
    const outputs = Object.fromEntries(
      [...keys].sort().map((k) => [k, producer ? outputValue(producer.json, k, schemas, ctx) : `mock-${k}`]),
    );
    sections.push(
      `override_data {\n  target = data.terraform_remote_state.${name}\n  values = {\n    outputs = ${hclValue(outputs)}\n  }\n}`,
    );
    overrides.push(`data.terraform_remote_state.${name}${producer ? ` (outputs of ${producer.id})` : ""}`);
  }

  // The release runs start with a first deploy's plan, which is the plain plan run with assertions.
  sections.push(...(release.runs.length ? release.runs : [`run "plan" {\n  command = plan\n}`]), `run "apply" {\n  command = apply\n}`);
  const header = `# Generated by scripts/validate.ts for stack "${stack.id}": a mocked plan and apply (no AWS).\n`;
  return { text: `${header + sections.join("\n\n")}\n`, providers, overrides };
}
