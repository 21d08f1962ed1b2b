/** Lambda function and permission rules (docs/security.md, "Lambda"; project check GAP-9). */
import { each, type PolicyContext, type Rule } from "../support/rule.js";
import { many, one, refersTo, refsIn } from "../support/tf-json.js";

const functions = (ctx: PolicyContext) => ctx.model.resources("aws_lambda_function");
const permissions = (ctx: PolicyContext) => ctx.model.resources("aws_lambda_permission");

const SECRET_NAME = /secret|password|passwd|token|private_?key|access_?key|api_?key|credential/i;
const SECRET_VALUE = /(?:AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|^[A-Za-z0-9/+]{40}$/;
const DEPRECATED_RUNTIMES =
  /^(nodejs(4\.3|6\.10|8\.10|10\.x|12\.x|14\.x|16\.x)|python(2\.7|3\.6|3\.7|3\.8)|ruby2\.[57]|dotnetcore[123]\.\d|dotnet[56]\.0|go1\.x|java8|provided)$/;

export const lambdaRules: Rule[] = [
  {
    kind: "baseline",
    id: "CKV_AWS_115",
    title: "Lambda functions reserve concurrency (a denial-of-wallet cap)",
    check: (ctx) =>
      each(functions(ctx), (f) => {
        const r = f.body.reserved_concurrent_executions;
        return (r !== undefined && r !== -1) || "reserved_concurrent_executions unset";
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_117",
    title: "Lambda functions run inside a VPC",
    check: (ctx) =>
      each(functions(ctx), (f) => {
        const vpc = one(f.body.vpc_config);
        return (many(vpc?.subnet_ids).length > 0 && many(vpc?.security_group_ids).length > 0) || "no vpc_config";
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_45",
    title: "Lambda environment variables hold no secrets",
    check: (ctx) =>
      each(functions(ctx), (f) => {
        const vars = Object.entries<unknown>(one(f.body.environment)?.variables ?? {});
        const leaks = vars.filter(([k, v]) => SECRET_NAME.test(k) || SECRET_VALUE.test(String(v))).map(([k]) => k);
        return leaks.length === 0 || `secret-looking variables ${leaks.join(", ")}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_50",
    title: "Lambda tracing mode is set (PassThrough is free, Active costs)",
    check: (ctx) =>
      each(functions(ctx), (f) => ["PassThrough", "Active"].includes(one(f.body.tracing_config)?.mode) || "no tracing_config.mode"),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_75",
    title: "Lambda has no function URL with an open CORS policy",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_lambda_function_url"),
        (u) => !many(one(u.body.cors)?.allow_origins).includes("*" as never) || "function URL allows any origin",
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_301",
    title: "Lambda permissions never grant a public principal",
    check: (ctx) => each(permissions(ctx), (p) => p.body.principal !== "*" || "principal *"),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_364",
    title: "Lambda permissions for AWS services are scoped by source_arn (Trivy AWS-0067)",
    check: (ctx) =>
      each(
        permissions(ctx),
        (p) => !String(p.body.principal).endsWith(".amazonaws.com") || !!p.body.source_arn || `${p.body.principal} without source_arn`,
      ),
  },
  {
    kind: "baseline",
    id: "AWS-0067",
    title: "Lambda invoke permission for API Gateway is scoped to this API's execution ARN",
    check: (ctx) =>
      each(
        permissions(ctx).filter((p) => p.body.principal === "apigateway.amazonaws.com"),
        (p) =>
          refsIn(p.body.source_arn).some((r) => r.type === "aws_apigatewayv2_api" && r.attr === "execution_arn") ||
          `source_arn ${p.body.source_arn}`,
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_363",
    title: "Lambda functions use no deprecated runtime",
    check: (ctx) => each(functions(ctx), (f) => !DEPRECATED_RUNTIMES.test(f.body.runtime ?? "") || `runtime ${f.body.runtime}`),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_116",
    title: "Lambda functions have a dead-letter queue",
    check: (ctx) => each(functions(ctx), (f) => !!one(f.body.dead_letter_config)?.target_arn || "no dead_letter_config"),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_272",
    title: "Lambda functions enforce code signing",
    check: (ctx) => each(functions(ctx), (f) => !!f.body.code_signing_config_arn || "no code_signing_config_arn"),
  },
  {
    kind: "baseline",
    id: "GAP-9",
    title: "Lambda functions log to their own /aws/lambda/<name> group, created with a retention",
    check: (ctx) =>
      each(functions(ctx), (f) => {
        const name = `/aws/lambda/${f.body.function_name}`;
        const group = ctx.model.resources("aws_cloudwatch_log_group").find((g) => g.stack === f.stack && g.body.name === name);
        if (!group) return `no aws_cloudwatch_log_group named ${name}`;
        if (!(group.body.retention_in_days > 0)) return `${group.address} has no retention`;
        const target = one(f.body.logging_config)?.log_group;
        return target === undefined || refersTo(target, group) || target === name || `logging_config.log_group ${target} is not ${name}`;
      }),
  },
];
