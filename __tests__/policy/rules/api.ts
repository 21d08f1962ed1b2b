/** API Gateway v2 rules (docs/security.md, "API Gateway"; project checks GAP-3 to GAP-5). */
import { each, finding, type PolicyContext, type Rule } from "../support/rule.js";
import { many, one, refsIn } from "../support/tf-json.js";

const stages = (ctx: PolicyContext) => ctx.model.resources("aws_apigatewayv2_stage");
const apis = (ctx: PolicyContext) => ctx.model.resources("aws_apigatewayv2_api");
const domainNames = (ctx: PolicyContext) => ctx.model.resources("aws_apigatewayv2_domain_name");

export const apiRules: Rule[] = [
  {
    kind: "baseline",
    id: "CKV_AWS_76",
    title: "API stages write access logs (Trivy AWS-0001)",
    check: (ctx) =>
      each(stages(ctx), (s) => !!one(s.body.access_log_settings)?.destination_arn || "no access_log_settings.destination_arn"),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_51",
    title: "API stages use client certificates unless the API is not WebSocket",
    check: (ctx) =>
      each(stages(ctx), (s) => {
        if (s.body.client_certificate_id) return true;
        const ref = refsIn(s.body.api_id).find((r) => r.type === "aws_apigatewayv2_api");
        const api = ref && ctx.model.resolve(s, ref);
        return (api !== undefined && api.body.protocol_type !== "WEBSOCKET") || "WebSocket stage without client certificate";
      }),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_77",
    title: "No WAF association is attempted on an HTTP API (unsupported)",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_wafv2_web_acl_association"),
        (a) => !refsIn(a.body.resource_arn).some((r) => r.type === "aws_apigatewayv2_api") || "WAF on an HTTP API",
      ),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_309",
    title: "API routes require authorization (IAM, custom or JWT)",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_apigatewayv2_route"),
        (r) =>
          ["AWS_IAM", "CUSTOM", "JWT"].includes(r.body.authorization_type) ||
          `${r.body.route_key}: authorization_type ${r.body.authorization_type ?? "NONE"}`,
      ),
  },
  {
    kind: "baseline",
    id: "AWS-0005",
    title: "API custom domains use TLS 1.2 (project check GAP-3); one exists exactly when a domain is configured",
    check: (ctx) => {
      const names = domainNames(ctx);
      const present =
        names.length > 0 === !!ctx.config.domain
          ? []
          : [{ resource: "aws_apigatewayv2_domain_name", problem: `${names.length} custom domains with domain=${ctx.config.domain}` }];
      return present.concat(
        each(names, (d) => one(d.body.domain_name_configuration)?.security_policy === "TLS_1_2" || "security_policy is not TLS_1_2"),
      );
    },
  },
  {
    kind: "baseline",
    id: "GAP-4",
    title: "API stages throttle with non-zero rate and burst limits (a zero answers every request 429)",
    check: (ctx) =>
      each(stages(ctx), (s) => {
        const settings = [one(s.body.default_route_settings), ...many(s.body.route_settings)];
        if (!settings[0]) return "no default_route_settings: only the account-wide limit applies";
        const bad = settings.filter((r) => r && !(r.throttling_burst_limit > 0 && r.throttling_rate_limit > 0));
        return bad.length === 0 || `throttling ${JSON.stringify(bad.map((r) => [r?.throttling_rate_limit, r?.throttling_burst_limit]))}`;
      }),
  },
  {
    kind: "baseline",
    id: "GAP-5",
    title: "The execute-api endpoint is disabled when a custom domain serves the API (and kept when it is the only way in)",
    check: (ctx) =>
      each(
        apis(ctx),
        (a) =>
          (a.body.disable_execute_api_endpoint === true) === !!ctx.config.domain ||
          `disable_execute_api_endpoint ${a.body.disable_execute_api_endpoint} with domain=${ctx.config.domain}`,
      ),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_23",
    title: "Route53 A and AAAA records alias a managed resource",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_route53_record").filter((r) => ["A", "AAAA"].includes(r.body.type)),
        (r) => {
          const alias = one(r.body.alias);
          return (
            (!!alias && refsIn(alias.name).some((ref) => ref.type.startsWith("aws_"))) || "A/AAAA record without an alias to a resource"
          );
        },
      ),
  },
  {
    kind: "baseline",
    id: "CORS",
    title: "The API allows CORS from the web origin only (no wildcard origin)",
    check: (ctx) =>
      apis(ctx).flatMap((a) => {
        const origins = many(one(a.body.cors_configuration)?.allow_origins) as unknown as string[];
        const bad = origins.filter((o) => o === "*" || !o.startsWith("https://"));
        return bad.length || origins.length === 0 ? [finding(a, `allow_origins ${JSON.stringify(origins)}`)] : [];
      }),
  },
];
