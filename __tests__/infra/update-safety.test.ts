/**
 * Updates that must never wedge a stage on a real account: settings AWS cannot change in place
 * (and whose replacement fails) must not follow config toggles, and objects must follow their
 * bucket's encryption. Sources for each behaviour: docs/aws-behaviour.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { synthConfig } from "../support/synth-config.js";
import { resources, single } from "../support/tf.js";

/** A tiny built web app: index.html naming one hashed asset. */
function tinyDist(): string {
  const dist = mkdtempSync(join(tmpdir(), "dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), '<!doctype html><script type="module" src="/assets/index-AbCd1234.js"></script>');
  writeFileSync(join(dist, "assets", "index-AbCd1234.js"), "console.log(1)");
  writeFileSync(join(dist, "assets", "index-EfGh5678.css"), "body{}");
  return dist;
}
const dist = tinyDist();
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe("ECR repository encryption", () => {
  test("is the same AES256 whether kms_customer_key is on or off (a change would replace a repository holding images)", () => {
    const off = single(synthConfig({ kms_customer_key: false }).stacks.registry!, "aws_ecr_repository");
    const on = single(synthConfig({ kms_customer_key: true }).stacks.registry!, "aws_ecr_repository");
    expect(on).toEqual(off);
    expect(off.encryption_configuration).toEqual([{ encryption_type: "AES256" }]);
  });

  test("a repository created with another encryption is never replaced over it", () => {
    const repo = single(synthConfig({}).stacks.registry!, "aws_ecr_repository");
    expect(repo.lifecycle.ignore_changes).toContain("encryption_configuration");
  });
});

describe("web objects follow the bucket's encryption", () => {
  const objects = (raw: Record<string, unknown>) => resources(synthConfig(raw, dist).stacks.app!, "aws_s3_object").map((o) => o.body);

  test("every object names the bucket's encryption, so a change re-uploads it (the provider re-puts on these arguments)", () => {
    const plain = objects({});
    const kms = objects({ kms_customer_key: true });
    expect(plain.length).toBe(4); // index.html, two assets, config.json
    expect(kms.length).toBe(4);
    for (const o of plain) {
      expect(o.server_side_encryption, o.key).toBe("AES256");
      expect(o.kms_key_id, o.key).toBeUndefined();
    }
    for (const o of kms) {
      expect(o.server_side_encryption, o.key).toBe("aws:kms");
      expect(o.kms_key_id, o.key).toMatch(/^\$\{aws_kms_key\.[^}]+\.arn\}$/);
      expect(o.bucket_key_enabled, o.key).toBe(true);
    }
  });

  test("the objects' encryption is the bucket default's", () => {
    const { stacks } = synthConfig({ kms_customer_key: true }, dist);
    const rule = single(stacks.app!, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default;
    for (const o of resources(stacks.app!, "aws_s3_object")) {
      expect(o.body.server_side_encryption).toBe(rule.sse_algorithm);
      expect(o.body.kms_key_id).toBe(rule.kms_master_key_id);
    }
  });
});

describe("account-wide names never collide between two regions of one stage", () => {
  /** Every name AWS keeps unique per account rather than per region, by resource type. */
  const ACCOUNT_WIDE: Record<string, string> = {
    aws_iam_role: "name",
    aws_cloudfront_origin_access_control: "name",
    aws_cloudfront_response_headers_policy: "name",
    aws_cloudfront_cache_policy: "name",
    aws_cloudfront_origin_request_policy: "name",
    aws_cloudfront_function: "name",
    aws_wafv2_web_acl: "name",
    aws_budgets_budget: "name",
  };
  const everything = {
    domain: "example.com",
    waf: true,
    vpc_flow_logs: true,
    budget_monthly_usd: 20,
    budget_email: "ops@example.com",
    stage: "prod",
  };
  const names = (region: string) => {
    const { stacks } = synthConfig({ ...everything, aws_region: region });
    return Object.values(stacks).flatMap((stack) =>
      Object.entries(ACCOUNT_WIDE).flatMap(([type, attr]) => resources(stack, type).map((r) => `${type}:${r.body[attr]}`)),
    );
  };

  test("IAM roles, CloudFront policies and OAC, the web ACL and the budget carry the region", () => {
    const east = names("us-east-1");
    const west = names("eu-west-1");
    for (const type of [
      "aws_iam_role",
      "aws_cloudfront_origin_access_control",
      "aws_cloudfront_response_headers_policy",
      "aws_wafv2_web_acl",
      "aws_budgets_budget",
    ]) {
      expect(
        east.some((n) => n.startsWith(`${type}:`)),
        type,
      ).toBe(true);
    }
    expect(east.filter((n) => west.includes(n))).toEqual([]);
    for (const n of west) expect(n).toContain("eu-west-1");
  });

  test("renamed account-wide resources in use by others are created before the old ones go", () => {
    const { stacks } = synthConfig({ ...everything, aws_region: "eu-west-1" });
    for (const type of [
      "aws_iam_role",
      "aws_cloudfront_origin_access_control",
      "aws_cloudfront_response_headers_policy",
      "aws_wafv2_web_acl",
    ]) {
      for (const r of resources(stacks["app-prod"]!, type)) expect(r.body.lifecycle?.create_before_destroy, `${type}.${r.name}`).toBe(true);
    }
  });

  test("the longest names the config accepts fit AWS's limits (IAM roles 64, origin access controls 64)", () => {
    const { stacks } = synthConfig({
      ...everything,
      aws_region: "ap-southeast-2",
      stage: "s".repeat(16),
      project_name: "p".repeat(24),
      lambda_name: "f".repeat(64 - 17 - 15),
      vpc_name: "v".repeat(64 - 17 - "-vpc-flow-log".length - 15),
    });
    const app = Object.values(stacks).find((s) => resources(s, "aws_lambda_function").length)!;
    for (const r of resources(app, "aws_iam_role")) expect(r.body.name.length, r.body.name).toBeLessThanOrEqual(64);
    expect(resources(app, "aws_iam_role").map((r) => r.body.name.length)).toContain(64);
    expect(single(app, "aws_cloudfront_origin_access_control").name.length).toBeLessThanOrEqual(64);
  });
});

describe("destroying a VPC stage waits out Lambda's network interfaces", () => {
  const app = synthConfig({}).stacks.app!;

  test("the function is moved off its security group before it is deleted", () => {
    expect(single(app, "aws_lambda_function").replace_security_groups_on_destroy).toBe(true);
  });

  test("the security group and the private subnets wait up to 45 minutes for the interfaces to go", () => {
    expect(single(app, "aws_security_group").timeouts).toEqual({ delete: "45m" });
    const privateSubnets = resources(app, "aws_subnet").filter((s) => s.name.includes("private"));
    expect(privateSubnets).toHaveLength(2);
    for (const s of privateSubnets) expect(s.body.timeouts).toEqual({ delete: "45m" });
  });

  test("without a VPC nothing asks for it", () => {
    const noVpc = synthConfig({ vpc_deploy: false }).stacks.app!;
    expect(single(noVpc, "aws_lambda_function").replace_security_groups_on_destroy).toBeUndefined();
  });
});

describe("certificate validation", () => {
  test("every DNS validation wait is bounded at 30 minutes (the provider waits 75 by default)", () => {
    const { stacks } = synthConfig({ domain: "example.com" });
    const waits = resources(stacks.app!, "aws_acm_certificate_validation");
    expect(waits).toHaveLength(2); // CloudFront's (us-east-1) and the API's
    for (const w of waits) expect(w.body.timeouts, w.name).toEqual({ create: "30m" });
  });
});

describe("web asset rollout", () => {
  test("index.html goes up after every asset it names and after config.json", () => {
    const objects = resources(synthConfig({}, dist).stacks.app!, "aws_s3_object");
    const index = objects.find((o) => o.body.key === "index.html")!;
    const others = objects.filter((o) => o.body.key !== "index.html");
    expect(others.map((o) => o.body.key).sort()).toEqual(["assets/index-AbCd1234.js", "assets/index-EfGh5678.css", "config.json"]);
    for (const o of others) {
      expect(index.body.depends_on, o.body.key).toContain(`aws_s3_object.${o.name}`);
      expect(o.body.depends_on ?? [], o.body.key).not.toContain(`aws_s3_object.${index.name}`);
    }
  });
});

describe("API routes", () => {
  test("a deployed route keeps its Terraform address when routes are added (new ones go last in backend/src/routes.ts)", () => {
    const routes = resources(synthConfig({}).stacks.app!, "aws_apigatewayv2_route");
    const addressOf = Object.fromEntries(routes.map((r) => [r.body.route_key, r.body["//"].metadata.path]));
    // The routes of the first release, at the addresses they were deployed under.
    expect(addressOf).toMatchObject({
      "POST /users": "app/api/route_0",
      "GET /users/{userId}": "app/api/route_1",
      "GET /users": "app/api/route_2",
      "GET /health": "app/api/route_3",
    });
  });
});
