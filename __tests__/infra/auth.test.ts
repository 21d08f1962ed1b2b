/**
 * Sign-in (`auth: "cognito"`, docs/auth.md) as synthesized: the user pool, its public web client,
 * the login domain, the JWT authorizer on exactly the route table's "jwt" routes, the CSP and
 * config.json; and none of it with the default `auth: "none"`.
 */
import { describe, expect, test } from "vitest";
import { ROUTES, type RouteName, routeKey } from "../../backend/src/routes.js";
import { synthConfig } from "../support/synth-config.js";
import { type Block, count, resources, single } from "../support/tf.js";
import { synthVariant } from "../support/variants.js";

const auth = synthVariant("auth").stacks.app!;
const authDomain = synthVariant("auth-domain").stacks.app!;
const anonymous = synthVariant("default").stacks.app!;

const routeNames = Object.keys(ROUTES) as RouteName[];
const ref = (type: string, stack: Block) => `${type}.${resources(stack, type)[0]!.name}`;
const csp = (stack: Block) =>
  single(stack, "aws_cloudfront_response_headers_policy").security_headers_config.content_security_policy.content_security_policy;
/** config.json's content: a jsonencode() of an HCL object. */
const configJson = (stack: Block): string =>
  resources(stack, "aws_s3_object").find((o) => o.body.key === "config.json")!.body.content as string;

describe('auth: "cognito"', () => {
  test("one user pool: e-mail as the user name, verified e-mail, a password policy, the Lite plan, deletion protection", () => {
    const pool = single(auth, "aws_cognito_user_pool");
    expect(pool).toMatchObject({
      username_attributes: ["email"],
      auto_verified_attributes: ["email"],
      username_configuration: { case_sensitive: false },
      user_pool_tier: "LITE",
      deletion_protection: "ACTIVE",
      mfa_configuration: "OFF",
      password_policy: { minimum_length: 12, require_lowercase: true, require_uppercase: true, require_numbers: true },
      account_recovery_setting: { recovery_mechanism: [{ name: "verified_email", priority: 1 }] },
    });
    // Password history is an Essentials feature: setting it on a Lite pool fails the apply.
    expect(pool.password_policy.password_history_size).toBeUndefined();
  });

  test("the pool's deletion protection follows table_deletion_protection (the users' accounts are their data too)", () => {
    const { stacks } = synthConfig({ auth: "cognito", table_deletion_protection: false });
    expect(single(stacks.app!, "aws_cognito_user_pool").deletion_protection).toBe("INACTIVE");
  });

  test("a public web client: no secret, the code flow only, exact callback and sign-out URLs of the web origin", () => {
    const client = single(auth, "aws_cognito_user_pool_client");
    const origin = `https://\${${ref("aws_cloudfront_distribution", auth)}.domain_name}`;
    expect(client).toMatchObject({
      generate_secret: false,
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_flows: ["code"],
      allowed_oauth_scopes: ["openid", "email", "profile"],
      supported_identity_providers: ["COGNITO"],
      explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      prevent_user_existence_errors: "ENABLED",
      callback_urls: [`${origin}/auth/callback`],
      logout_urls: [`${origin}/`],
      user_pool_id: `\${${ref("aws_cognito_user_pool", auth)}.id}`,
    });
  });

  test("with a domain, the client's URLs are the custom web origin's", () => {
    const client = single(authDomain, "aws_cognito_user_pool_client");
    expect(client.callback_urls).toEqual(["https://app.example.com/auth/callback"]);
    expect(client.logout_urls).toEqual(["https://app.example.com/"]);
  });

  test("without a domain, the login pages are on the pool's prefix domain (classic hosted UI, the Lite plan's)", () => {
    const domain = single(auth, "aws_cognito_user_pool_domain");
    expect(domain.domain).toBe("serverless-starter-${data.aws_caller_identity.current.account_id}");
    expect(domain.managed_login_version).toBe(1);
    expect(domain.certificate_arn).toBeUndefined();
  });

  test("with a domain, the login pages are on auth.<domain>: a us-east-1 certificate and an A alias to Cognito's distribution", () => {
    const domain = single(authDomain, "aws_cognito_user_pool_domain");
    expect(domain.domain).toBe("auth.example.com");
    const cert = resources(authDomain, "aws_acm_certificate").find((c) => c.body.domain_name === "auth.example.com");
    expect(cert?.body.provider).toBe("aws.us_east_1");
    const wait = resources(authDomain, "aws_acm_certificate_validation").find(
      (v) => v.body.certificate_arn === `\${aws_acm_certificate.${cert!.name}.arn}`,
    );
    expect(wait?.body.provider).toBe("aws.us_east_1");
    expect(domain.certificate_arn).toBe(`\${aws_acm_certificate_validation.${wait!.name}.certificate_arn}`);
    const alias = resources(authDomain, "aws_route53_record").filter((r) => r.body.name === "auth.example.com");
    expect(alias.map((r) => r.body.type)).toEqual(["A"]);
    expect(alias[0]!.body.alias).toMatchObject({ name: `\${${ref("aws_cognito_user_pool_domain", authDomain)}.cloudfront_distribution}` });
  });

  test("one JWT authorizer: the pool as issuer, the web client as audience, the bearer token of Authorization", () => {
    const authorizer = single(auth, "aws_apigatewayv2_authorizer");
    expect(authorizer).toMatchObject({
      authorizer_type: "JWT",
      identity_sources: ["$request.header.Authorization"],
      jwt_configuration: {
        issuer: `https://\${${ref("aws_cognito_user_pool", auth)}.endpoint}`,
        audience: [`\${${ref("aws_cognito_user_pool_client", auth)}.id}`],
      },
    });
  });

  test("every route the route table marks jwt is guarded with its scopes; the others (GET /health) stay open", () => {
    const routes = Object.fromEntries(resources(auth, "aws_apigatewayv2_route").map((r) => [r.body.route_key, r.body]));
    const authorizer = `\${${ref("aws_apigatewayv2_authorizer", auth)}.id}`;
    expect(Object.keys(routes).sort()).toEqual(routeNames.map(routeKey).sort());
    for (const name of routeNames) {
      const route = routes[routeKey(name)]!;
      const entry: { authorization: string; scopes?: readonly string[] } = ROUTES[name];
      if (entry.authorization === "jwt") {
        expect(route, routeKey(name)).toMatchObject({
          authorization_type: "JWT",
          authorizer_id: authorizer,
          authorization_scopes: entry.scopes,
        });
      } else {
        expect(route.authorization_type, routeKey(name)).toBe("NONE");
        expect(route.authorizer_id, routeKey(name)).toBeUndefined();
      }
    }
    expect(routes["GET /health"]!.authorization_type).toBe("NONE");
    expect(routes["POST /users"]!.authorization_type).toBe("JWT");
  });

  test("the CSP lets the web app call the login domain (its token endpoint), and nothing else new", () => {
    const loginOrigin = `https://\${${ref("aws_cognito_user_pool_domain", auth)}.domain}.auth.us-east-1.amazoncognito.com`;
    expect(csp(auth)).toBe(csp(anonymous).replace("https://*.execute-api.us-east-1.amazonaws.com", `$& ${loginOrigin}`));
    expect(csp(authDomain)).toContain("connect-src 'self' https://api.example.com https://auth.example.com;");
  });

  test("config.json carries the auth object the web app signs in with", () => {
    const content = configJson(auth);
    const pool = ref("aws_cognito_user_pool", auth);
    const login = `https://\${${ref("aws_cognito_user_pool_domain", auth)}.domain}.auth.us-east-1.amazoncognito.com`;
    expect(content).toContain(`"issuer" = "https://\${${pool}.endpoint}"`);
    expect(content).toContain(`"clientId" = ${ref("aws_cognito_user_pool_client", auth)}.id`);
    expect(content).toContain(`"authorizationEndpoint" = "${login}/oauth2/authorize"`);
    expect(content).toContain(`"tokenEndpoint" = "${login}/oauth2/token"`);
    expect(content).toContain(`"logoutEndpoint" = "${login}/logout"`);
    expect(content).toContain(`"scopes" = ["openid", "email", "profile"]`);
    expect(configJson(authDomain)).toContain(`"tokenEndpoint" = "https://auth.example.com/oauth2/token"`);
  });

  test("the API's CORS lets the web app send its bearer token", () => {
    expect(single(auth, "aws_apigatewayv2_api").cors_configuration.allow_headers).toContain("authorization");
  });
});

describe('auth: "none" (the default)', () => {
  test("no pool, client, domain or authorizer, every route open, config.json without auth, the CSP without a login origin", () => {
    for (const type of [
      "aws_cognito_user_pool",
      "aws_cognito_user_pool_client",
      "aws_cognito_user_pool_domain",
      "aws_apigatewayv2_authorizer",
    ]) {
      expect(count(anonymous, type), type).toBe(0);
    }
    for (const route of resources(anonymous, "aws_apigatewayv2_route")) expect(route.body.authorization_type).toBe("NONE");
    expect(configJson(anonymous)).not.toContain('"auth"');
    expect(csp(anonymous)).not.toContain("amazoncognito.com");
    expect(Object.keys(anonymous.output)).not.toContain("user_pool_id");
  });
});
