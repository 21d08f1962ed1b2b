/**
 * The sign-in constructs on their own (CognitoUserPool, CognitoWebClient, CognitoLoginDomain) and
 * ApiGatewayV2's JWT authorizer: the secure defaults, the refusals, and an override through an
 * exposed resource.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { describe, expect, test } from "vitest";
import { ApiGatewayV2, type ApiGatewayV2Props } from "../../modules/apigateway-v2.js";
import { CognitoLoginDomain } from "../../modules/cognito-login-domain.js";
import { CognitoUserPool } from "../../modules/cognito-user-pool.js";
import { CognitoWebClient } from "../../modules/cognito-web-client.js";
import { synthConstruct } from "./support/synth.js";

const client = {
  userPoolId: "eu-west-1_abc",
  name: "web",
  callbackUrls: ["https://app.example.com/auth/callback"],
  logoutUrls: ["https://app.example.com/"],
};

describe("CognitoUserPool", () => {
  test("e-mail sign-in, verified e-mail, a 12-character mixed password, Lite, deletion protection, no MFA or SMS", () => {
    const { only } = synthConstruct((scope) => new CognitoUserPool(scope, "users", { name: "users" }));
    expect(only("aws_cognito_user_pool")).toMatchObject({
      user_pool_tier: "LITE",
      deletion_protection: "ACTIVE",
      username_attributes: ["email"],
      auto_verified_attributes: ["email"],
      admin_create_user_config: { allow_admin_create_user_only: false },
      email_configuration: { email_sending_account: "COGNITO_DEFAULT" },
      mfa_configuration: "OFF",
      password_policy: {
        minimum_length: 12,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: false,
      },
    });
    expect(only("aws_cognito_user_pool").sms_configuration).toBeUndefined();
  });

  test("the issuer is the pool's endpoint over https", () => {
    let issuer = "";
    synthConstruct((scope) => {
      issuer = new CognitoUserPool(scope, "users", { name: "users" }).issuer;
    });
    expect(issuer).toMatch(/^https:\/\/\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });

  test("deletion protection off, administrators-only sign-up and a longer password when asked", () => {
    const { only } = synthConstruct(
      (scope) =>
        new CognitoUserPool(scope, "users", {
          name: "users",
          deletionProtection: false,
          selfSignUp: false,
          passwordPolicy: { minimumLength: 16, requireSymbols: true },
        }),
    );
    expect(only("aws_cognito_user_pool")).toMatchObject({
      deletion_protection: "INACTIVE",
      admin_create_user_config: { allow_admin_create_user_only: true },
      password_policy: { minimum_length: 16, require_symbols: true },
    });
  });

  test("refuses a password length Cognito refuses", () => {
    expect(() =>
      synthConstruct((scope) => new CognitoUserPool(scope, "users", { name: "users", passwordPolicy: { minimumLength: 5 } })),
    ).toThrow(/6 to 99/);
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new CognitoUserPool(scope, "users", { name: "users" }).userPool.addOverride("user_pool_tier", "ESSENTIALS");
    });
    expect(only("aws_cognito_user_pool").user_pool_tier).toBe("ESSENTIALS");
  });
});

describe("CognitoWebClient", () => {
  test("public: no secret, the code flow, the pool's own users, exact URLs, no password flows, revocable tokens", () => {
    const { only } = synthConstruct((scope) => new CognitoWebClient(scope, "web", client));
    expect(only("aws_cognito_user_pool_client")).toMatchObject({
      generate_secret: false,
      allowed_oauth_flows: ["code"],
      allowed_oauth_flows_user_pool_client: true,
      allowed_oauth_scopes: ["openid", "email", "profile"],
      supported_identity_providers: ["COGNITO"],
      callback_urls: ["https://app.example.com/auth/callback"],
      logout_urls: ["https://app.example.com/"],
      explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      prevent_user_existence_errors: "ENABLED",
      enable_token_revocation: true,
      access_token_validity: 60,
      id_token_validity: 60,
      refresh_token_validity: 1,
      token_validity_units: [{ access_token: "minutes", id_token: "minutes", refresh_token: "days" }],
    });
  });

  test("http URLs are refused except on localhost", () => {
    expect(() =>
      synthConstruct((scope) => new CognitoWebClient(scope, "web", { ...client, callbackUrls: ["http://app.example.com/auth/callback"] })),
    ).toThrow(/must be https/);
    const { only } = synthConstruct(
      (scope) => new CognitoWebClient(scope, "web", { ...client, callbackUrls: ["http://localhost:5173/auth/callback"] }),
    );
    expect(only("aws_cognito_user_pool_client").callback_urls).toEqual(["http://localhost:5173/auth/callback"]);
  });

  test("refuses token lifetimes Cognito refuses, and no callback URL", () => {
    expect(() => synthConstruct((scope) => new CognitoWebClient(scope, "web", { ...client, tokenValidityMinutes: 2 }))).toThrow(
      /5 to 1440/,
    );
    expect(() => synthConstruct((scope) => new CognitoWebClient(scope, "web", { ...client, refreshTokenValidityDays: 0 }))).toThrow(
      /1 to 3650/,
    );
    expect(() => synthConstruct((scope) => new CognitoWebClient(scope, "web", { ...client, callbackUrls: [] }))).toThrow(/callback URL/);
  });
});

describe("CognitoLoginDomain", () => {
  test("a prefix domain: classic hosted UI, the endpoints on <prefix>.auth.<region>.amazoncognito.com, no certificate", () => {
    let endpoints: string[] = [];
    const { resources, only } = synthConstruct((scope) => {
      const d = new CognitoLoginDomain(scope, "login", { userPoolId: "eu-west-1_abc", region: "eu-west-1", prefix: "my-app-123456789012" });
      endpoints = [d.origin, d.authorizationEndpoint, d.tokenEndpoint, d.logoutEndpoint];
    });
    expect(only("aws_cognito_user_pool_domain")).toMatchObject({ domain: "my-app-123456789012", managed_login_version: 1 });
    expect(resources.aws_acm_certificate).toBeUndefined();
    const host = /^https:\/\/\$\{TfToken\[TOKEN\.\d+\]\}\.auth\.eu-west-1\.amazoncognito\.com/;
    expect(endpoints[0]).toMatch(new RegExp(`${host.source}$`));
    expect(endpoints.slice(1).map((e) => e.replace(host, ""))).toEqual(["/oauth2/authorize", "/oauth2/token", "/logout"]);
  });

  test("a custom domain's plan stops unless the parent domain has an A record in the zone", () => {
    const build = (checkParentARecord?: boolean) =>
      JSON.parse(
        Testing.synthScope((scope) => {
          const usEast1 = new AwsProvider(scope, "us_east_1", { region: "us-east-1", alias: "us_east_1" });
          new CognitoLoginDomain(scope, "login", {
            userPoolId: "p",
            region: "eu-west-1",
            prefix: "unused",
            customDomain: { domainName: "auth.example.com", zoneId: "Z123", usEast1Provider: usEast1, checkParentARecord },
          });
        }),
      );
    const lookups = Object.values(build().data.aws_route53_records) as Record<string, any>[];
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatchObject({ zone_id: "Z123", name_regex: "^example\\.com\\.?$" });
    const [check] = lookups[0]!.lifecycle.postcondition;
    expect(check.condition).toBe('${length([for r in self.resource_record_sets : r if r.type == "A"]) > 0}');
    expect(check.error_message).toMatch(/^example\.com has no A record in its Route53 zone/);
    expect(build(false).data).toBeUndefined();
  });

  test("refuses a prefix Cognito would refuse", () => {
    const domain = (prefix: string) => () =>
      synthConstruct((scope) => new CognitoLoginDomain(scope, "login", { userPoolId: "p", region: "eu-west-1", prefix }));
    expect(domain("My_App")).toThrow(/lower-case letters, digits and hyphens/);
    expect(domain("my-amazon-app")).toThrow(/must not contain "aws", "amazon" or "cognito"/);
  });

  test("a custom domain: a us-east-1 certificate, the domain with it, an A alias to Cognito's distribution", () => {
    let origin = "";
    const { resources, only } = synthConstruct((scope) => {
      const usEast1 = new AwsProvider(scope, "us_east_1", { region: "us-east-1", alias: "us_east_1" });
      origin = new CognitoLoginDomain(scope, "login", {
        userPoolId: "p",
        region: "eu-west-1",
        prefix: "unused",
        customDomain: { domainName: "auth.example.com", zoneId: "Z123", usEast1Provider: usEast1 },
      }).origin;
    });
    expect(origin).toBe("https://auth.example.com");
    expect(only("aws_acm_certificate")).toMatchObject({ domain_name: "auth.example.com", provider: "aws.us_east_1" });
    const domain = only("aws_cognito_user_pool_domain");
    expect(domain.domain).toBe("auth.example.com");
    expect(domain.certificate_arn).toMatch(/^\$\{aws_acm_certificate_validation\..*\.certificate_arn\}$/);
    const aliases = Object.values(resources.aws_route53_record!).filter((r) => r.name === "auth.example.com");
    expect(aliases.map((r) => r.type)).toEqual(["A"]);
    expect(aliases[0]!.alias.name).toMatch(/^\$\{aws_cognito_user_pool_domain\..*\.cloudfront_distribution\}$/);
  });
});

describe("ApiGatewayV2 with a JWT authorizer", () => {
  const props: ApiGatewayV2Props = {
    name: "api",
    routeKeys: ["GET /users", "POST /users", "GET /health"],
    functionInvokeArn: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn/invocations",
    cors: { allowOrigins: ["https://example.com"] },
  };
  const jwt = { name: "cognito", issuer: "https://issuer.example.com", audience: ["client"] };

  test("guards the named routes with their scopes; the others stay open", () => {
    const { resources, only } = synthConstruct(
      (scope) =>
        new ApiGatewayV2(scope, "http", { ...props, jwtAuthorizer: { ...jwt, routes: { "GET /users": ["openid"], "POST /users": [] } } }),
    );
    expect(only("aws_apigatewayv2_authorizer")).toMatchObject({
      authorizer_type: "JWT",
      identity_sources: ["$request.header.Authorization"],
      jwt_configuration: { issuer: "https://issuer.example.com", audience: ["client"] },
    });
    const routes = Object.fromEntries(Object.values(resources.aws_apigatewayv2_route!).map((r) => [r.route_key, r]));
    expect(routes["GET /users"]).toMatchObject({ authorization_type: "JWT", authorization_scopes: ["openid"] });
    expect(routes["POST /users"]!.authorization_type).toBe("JWT");
    expect(routes["POST /users"]!.authorization_scopes).toBeUndefined(); // any valid token
    expect(routes["GET /health"]!.authorization_type).toBe("NONE");
    expect(routes["GET /health"]!.authorizer_id).toBeUndefined();
  });

  test("without one, every route is open and there is no authorizer", () => {
    const { resources } = synthConstruct((scope) => new ApiGatewayV2(scope, "http", props));
    expect(resources.aws_apigatewayv2_authorizer).toBeUndefined();
    expect(Object.values(resources.aws_apigatewayv2_route!).every((r) => r.authorization_type === "NONE")).toBe(true);
  });

  test("refuses to guard a route the API does not declare", () => {
    expect(() =>
      synthConstruct((scope) => new ApiGatewayV2(scope, "http", { ...props, jwtAuthorizer: { ...jwt, routes: { "GET /me": [] } } })),
    ).toThrow(/jwtAuthorizer.routes names routes the API does not declare: GET \/me/);
  });
});
