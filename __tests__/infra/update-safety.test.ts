/**
 * Updates that must never wedge a stage on a real account: settings AWS cannot change in place
 * (and whose replacement fails) must not follow config toggles, and objects must follow their
 * bucket's encryption. Sources for each behaviour: docs/aws-behaviour.md.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { KEEP_PREVIOUS_RELEASE_VARIABLE } from "../../scripts/deploy/terraform-errors.js";
import { synthesizeStacks } from "../../scripts/lib/synth.js";
import { parseConfig } from "../../stacks/config.js";
import { scratchDir } from "../support/scratch.js";
import { synthConfig } from "../support/synth-config.js";
import { type Block, plannedObjects, resources, single } from "../support/tf.js";

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
  const objects = (raw: Record<string, unknown>) => Object.values(plannedObjects(synthConfig(raw, dist).stacks.app!));

  test("every object names the bucket's encryption, so a change re-uploads it (the provider re-puts on these arguments)", () => {
    const plain = objects({});
    const kms = objects({ kms_customer_key: true });
    expect(plain.length).toBe(4); // index.html, two assets, config.json
    expect(kms.length).toBe(4);
    for (const o of plain) {
      expect(o.server_side_encryption, o.key).toBe("AES256");
      expect(o.kms_key_id ?? undefined, o.key).toBeUndefined();
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
    const objects = Object.values(plannedObjects(stacks.app!));
    expect(objects).toHaveLength(4);
    for (const o of objects) {
      expect(o.server_side_encryption).toBe(rule.sse_algorithm);
      expect(o.kms_key_id).toBe(rule.kms_master_key_id);
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
    const objects = plannedObjects(synthConfig({}, dist).stacks.app!);
    expect(Object.keys(objects).sort()).toEqual(["assets/index-AbCd1234.js", "assets/index-EfGh5678.css", "config.json", "index.html"]);
    const index = objects["index.html"]!;
    for (const [key, o] of Object.entries(objects)) {
      if (key === "index.html") continue;
      const resource = `aws_s3_object.${o.name.replace(/\[.*$/, "")}`;
      expect(index.depends_on, key).toContain(resource);
      expect(o.depends_on ?? [], key).not.toContain(`aws_s3_object.${index.name}`);
    }
  });

  test("an existing stage's objects keep their content: moved from the per-file addresses of earlier releases, index.html at its own", () => {
    const app = synthConfig({}, dist).stacks.app!;
    const objects = plannedObjects(app);
    // The addresses these files had when each file was its own resource (a synth of that release).
    expect(app.moved).toEqual([
      {
        from: "aws_s3_object.web_assets_file_assets_index_AbCd1234_js_2DC9E7E3",
        to: `aws_s3_object.${objects["assets/index-AbCd1234.js"]!.name}`,
      },
      {
        from: "aws_s3_object.web_assets_file_assets_index_EfGh5678_css_862977AB",
        to: `aws_s3_object.${objects["assets/index-EfGh5678.css"]!.name}`,
      },
    ]);
    expect(objects["index.html"]!.name).toBe("web_assets_file_index_html_7790A3E2");
    // source_hash as before (the file's MD5), so a moved object is not put again for it
    expect(objects["assets/index-AbCd1234.js"]!.source_hash).toBe(createHash("md5").update("console.log(1)").digest("hex"));
  });
});

describe("the previous web release stays until the next deploy", () => {
  test("shared state: the last apply's state object is listed, then read only when it exists, from the backend's own bucket and key", () => {
    const app = synthConfig({ state_bucket: "team-tfstate", state_region: "eu-west-1", aws_region: "eu-central-1" }, dist).stacks.app!;
    const backend = app.terraform.backend.s3;
    const [listingName, listing] = Object.entries<Block>(app.data.aws_s3_objects)[0]!;
    expect(listing).toMatchObject({ bucket: "team-tfstate", prefix: backend.key });
    // S3 requests go to the bucket's region: a provider there
    const providers = [].concat(app.provider.aws) as Block[];
    const stateProvider = providers.find((p) => p.region === "eu-west-1")!;
    expect(listing.provider).toBe(`aws.${stateProvider.alias}`);
    const own = Object.entries<Block>(app.data.terraform_remote_state).find(([n]) => !n.startsWith("cross-stack"))!;
    expect(own[1].config).toEqual({ bucket: "team-tfstate", key: backend.key, region: "eu-west-1", encrypt: true });
    // "Unable to find remote state" on a first deploy: read only when the listing has the key
    expect(own[1].count).toBe(`\${contains(data.aws_s3_objects.${listingName}.keys, "${backend.key}") ? 1 : 0}`);
    const record = Object.values<string>(app.locals).find((v) => typeof v === "string" && v.includes("data.terraform_remote_state"));
    expect(record).toContain(`data.terraform_remote_state.${own[0]}[0].outputs.web_assets_release`);
    expect(app.output.web_assets_release.sensitive).toBe(true);
    // the variable the deploy names when a kept file cannot be put back
    expect(Object.keys(app.variable)).toEqual([KEEP_PREVIOUS_RELEASE_VARIABLE]);
  });

  test("local state: the record the last apply left in .state/ is written into the synth as a literal", () => {
    const project = scratchDir("local-state-");
    const record = JSON.stringify({ id: "earlier", files: { "assets/old-1.js": { source: "x" } }, previous: {} });
    mkdirSync(join(project, ".state"));
    writeFileSync(
      join(project, ".state", "app.tfstate"),
      JSON.stringify({ version: 4, outputs: { web_assets_release: { value: record, type: "string", sensitive: true } } }),
    );
    const config = parseConfig({ state_backend: "local" });
    if (!config.ok) throw new Error("config");
    const stacks = synthesizeStacks(config.config, join(project, "cdktf.out"), { webDistDir: dist });
    const app = stacks.find((s) => s.id === "app")!.json as Block;
    expect(app.terraform.backend.local.path).toBe("../../../.state/app.tfstate"); // the file read above, from the stack's folder
    const local = Object.values<string>(app.locals).find((v) => typeof v === "string" && v.startsWith("${try(jsondecode("));
    expect(local).toBe(`\${try(jsondecode(${JSON.stringify(record)}), {})}`);
    expect(Object.keys(app.data.terraform_remote_state).filter((n) => !n.startsWith("cross-stack-reference"))).toEqual([]);
  });

  test("local state: no state yet (a first deploy) reads as no record", () => {
    const project = scratchDir("local-state-");
    const config = parseConfig({ state_backend: "local" });
    if (!config.ok) throw new Error("config");
    const app = synthesizeStacks(config.config, join(project, "cdktf.out"), { webDistDir: dist }).find((s) => s.id === "app")!
      .json as Block;
    expect(Object.values<string>(app.locals)).toContain('${try(jsondecode(""), {})}');
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
