/**
 * The security rules of docs/security.md (checkov / Trivy ids, plus the project's GAP-n checks) over the synthesized JSON of every
 * config variant. One file on purpose: each variant is synthesized once per test process.
 */
import { describe, expect, test } from "vitest";
import { synthVariant, VARIANT_NAMES, type VariantName } from "../support/variants.js";
import { EXCEPTIONS, exceptionsFor } from "./exceptions.js";
import { acmRules } from "./rules/acm.js";
import { alarmRules, alarmToggleRules } from "./rules/alarms.js";
import { apiRules } from "./rules/api.js";
import { cloudfrontRules } from "./rules/cloudfront.js";
import { dataStoreRules } from "./rules/data-stores.js";
import { iamRules } from "./rules/iam.js";
import { lambdaRules } from "./rules/lambda.js";
import { networkRules } from "./rules/network.js";
import { s3Rules } from "./rules/s3.js";
import { spendStopRules } from "./rules/spend-stop.js";
import { toggleRules as costToggleRules } from "./rules/toggles.js";
import { vpcRoleRules } from "./rules/vpc-roles.js";
import type { BaselineRule, Finding, PolicyContext, Rule } from "./support/rule.js";
import { TfModel } from "./support/tf-json.js";

const baselineRules = [
  ...s3Rules,
  ...cloudfrontRules,
  ...lambdaRules,
  ...iamRules,
  ...apiRules,
  ...dataStoreRules,
  ...networkRules,
  ...acmRules,
  ...vpcRoleRules,
  ...alarmRules,
] as BaselineRule[];
const toggleRules = [...costToggleRules, ...alarmToggleRules, ...spendStopRules];
const allRules: Rule[] = [...baselineRules, ...toggleRules];

const contexts = new Map<VariantName, PolicyContext>();
function context(variant: VariantName): PolicyContext {
  let ctx = contexts.get(variant);
  if (!ctx) {
    const synth = synthVariant(variant);
    ctx = { variant, config: synth.config, model: new TfModel(synth.stacks) };
    contexts.set(variant, ctx);
  }
  return ctx;
}

/** Splits findings into those an exception covers (per exception) and the rest. */
function applyExceptions(rule: Rule, variant: VariantName, findings: Finding[]) {
  const exceptions = exceptionsFor(rule.id, variant);
  const covered = (f: Finding) => exceptions.some((e) => !e.resource || e.resource.test(f.resource));
  return {
    unexcused: findings.filter((f) => !covered(f)),
    unused: exceptions.filter((e) => !findings.some((f) => !e.resource || e.resource.test(f.resource))),
  };
}

const show = (fs: Finding[]) => fs.map((f) => `${f.resource}: ${f.problem}`);

describe.each(baselineRules.map((r) => [`${r.id} ${r.title}`, r] as const))("%s", (_name, rule) => {
  test.each(VARIANT_NAMES)("variant %s", (variant) => {
    const { unexcused, unused } = applyExceptions(rule, variant, rule.check(context(variant)));
    expect(show(unexcused), "findings not covered by __tests__/policy/exceptions.ts").toEqual([]);
    expect(
      unused.map((e) => e.reason),
      "stale exception: the rule passes here, remove the entry",
    ).toEqual([]);
  });
});

describe.each(toggleRules.map((r) => [`${r.id} ${r.title} (toggle: ${r.toggle})`, r] as const))("%s", (_name, rule) => {
  test.each(VARIANT_NAMES)("variant %s", (variant) => {
    const ctx = context(variant);
    const subjects = rule.subjects(ctx);
    const findings = rule.check(ctx);
    if (rule.enabled(ctx.config)) {
      expect(subjects.length, "switched on but nothing to apply it to").toBeGreaterThan(0);
      const { unexcused, unused } = applyExceptions(rule, variant, findings);
      expect(show(unexcused), "switched on, yet missing on").toEqual([]);
      expect(
        unused.map((e) => e.reason),
        "stale exception",
      ).toEqual([]);
    } else {
      // off: a cost the user did not ask for is nowhere
      const withFeature = subjects.filter((s) => !findings.some((f) => f.resource === `${s.stack}/${s.address}`));
      expect(
        withFeature.map((s) => `${s.stack}/${s.address}`),
        `on although ${rule.toggle} is off`,
      ).toEqual([]);
    }
  });
});

/** A variant's stacks (default: the default variant), deep-copied and changed by `mutate`, as a context. */
function mutated(mutate: (stacks: Record<string, any>) => void, variant: VariantName = "default"): PolicyContext {
  const stacks = structuredClone(synthVariant(variant).stacks);
  mutate(stacks);
  return { variant, config: context(variant).config, model: new TfModel(stacks) };
}
const first = (stacks: Record<string, any>, type: string) =>
  Object.values<any>(stacks.app?.resource?.[type] ?? stacks.registry.resource[type])[0];
const rule = (id: string) => allRules.find((r) => r.id === id)!;

describe("the rules catch what they name (mutated default stacks)", () => {
  test("a mutable ECR repository fails CKV_AWS_51", () => {
    const ctx = mutated((s) => (first(s, "aws_ecr_repository").image_tag_mutability = "MUTABLE"));
    expect(show(rule("CKV_AWS_51").check(ctx))).toEqual([expect.stringMatching(/^registry\/aws_ecr_repository\..*MUTABLE/)]);
  });

  test("a bucket policy without the TLS-only deny fails GAP-1", () => {
    const ctx = mutated((s) => {
      const policy = first(s, "aws_s3_bucket_policy");
      const doc = JSON.parse(policy.policy);
      doc.Statement = doc.Statement.filter((st: any) => st.Effect !== "Deny");
      policy.policy = JSON.stringify(doc);
    });
    expect(rule("GAP-1").check(ctx)).toHaveLength(1);
  });

  test("the same TLS-only deny written as an aws_iam_policy_document data source passes GAP-1", () => {
    const ctx = mutated((s) => {
      const policy = first(s, "aws_s3_bucket_policy");
      const bucket = `aws_s3_bucket.${Object.keys(s.app.resource.aws_s3_bucket)[0]}`;
      s.app.data.aws_iam_policy_document = {
        tls: {
          statement: [
            {
              effect: "Deny",
              actions: ["s3:*"],
              resources: [`\${${bucket}.arn}`, `\${${bucket}.arn}/*`],
              principals: [{ type: "*", identifiers: ["*"] }],
              condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
            },
          ],
        },
      };
      policy.policy = "${data.aws_iam_policy_document.tls.json}";
    });
    expect(rule("GAP-1").check(ctx)).toEqual([]);
  });

  test("a policy hidden in jsonencode(...) cannot be audited and is refused", () => {
    const ctx = mutated((s) => (first(s, "aws_iam_role_policy").policy = "${jsonencode({Statement = []})}"));
    expect(() => rule("CKV_AWS_63").check(ctx)).toThrow(/cannot audit/);
  });

  test("an inline Action * on Resource * fails CKV_AWS_62, CKV_AWS_63 and CKV_AWS_355", () => {
    const ctx = mutated((s) => {
      const p = first(s, "aws_iam_role_policy");
      p.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    });
    for (const id of ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_355", "CKV2_AWS_40"]) expect(rule(id).check(ctx), id).toHaveLength(1);
  });

  test("zero throttling fails GAP-4", () => {
    const ctx = mutated((s) => (first(s, "aws_apigatewayv2_stage").default_route_settings.throttling_burst_limit = 0));
    expect(rule("GAP-4").check(ctx)).toHaveLength(1);
  });

  test("egress to 0.0.0.0/0 fails CKV_AWS_382 and an open SSH port fails CKV_AWS_24", () => {
    const ctx = mutated((s) => {
      const sg = first(s, "aws_security_group");
      sg.egress = [{ description: "all", from_port: 0, to_port: 0, protocol: "-1", cidr_blocks: ["0.0.0.0/0"] }];
      sg.ingress = [{ description: "ssh", from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] }];
    });
    expect(rule("CKV_AWS_382").check(ctx)).toHaveLength(1);
    expect(rule("CKV_AWS_24").check(ctx)).toHaveLength(1);
    expect(rule("CKV_AWS_25").check(ctx)).toEqual([]);
  });

  test("a private route table without the DynamoDB endpoint fails GAP-7", () => {
    const ctx = mutated((s) => {
      const endpoint = first(s, "aws_vpc_endpoint");
      endpoint.route_table_ids = endpoint.route_table_ids.slice(0, 1);
    });
    expect(show(rule("GAP-7").check(ctx))).toEqual([expect.stringContaining("route tables without the endpoint")]);
  });

  test("a lifecycle rule expiring tagged images by age fails GAP-8", () => {
    const ctx = mutated((s) => {
      const lifecycle = first(s, "aws_ecr_lifecycle_policy");
      lifecycle.policy = JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 },
            action: { type: "expire" },
          },
        ],
      });
    });
    expect(rule("GAP-8").check(ctx)).toHaveLength(1);
  });
});

describe("the alarm rules catch what they name (mutated alarms variant)", () => {
  const alarm = (s: Record<string, any>, key: string) =>
    Object.entries<any>(s.app.resource.aws_cloudwatch_metric_alarm).find(([name]) => name.startsWith(`alarms_${key}_`))![1];

  test("an alarm that treats missing data as breaching fails OPS-2", () => {
    const ctx = mutated((s) => (alarm(s, "lambda_errors").treat_missing_data = "breaching"), "alarms");
    expect(show(rule("OPS-2").check(ctx))).toEqual([expect.stringMatching(/lambda_errors.*treat_missing_data is "breaching"/)]);
  });

  test("the CDN alarm notifying the stack's (eu-west-1) topic fails OPS-2: CloudWatch does not notify across regions", () => {
    const ctx = mutated((s) => {
      const regional = alarm(s, "lambda_errors").alarm_actions;
      Object.assign(alarm(s, "cdn_5xx_rate"), { alarm_actions: regional, ok_actions: regional });
    }, "alarms");
    expect(show(rule("OPS-2").check(ctx))).toEqual([expect.stringMatching(/cdn_5xx_rate.*is in eu-west-1, the alarm in us-east-1/)]);
  });

  test("an alarm without actions leaves its subject unwatched by e-mail (OPS-1)", () => {
    const ctx = mutated((s) => (alarm(s, "lambda_duration").alarm_actions = []), "alarms");
    expect(show(rule("OPS-1").check(ctx))).toEqual([expect.stringMatching(/aws_lambda_function\..*lambda_duration.*notify no topic/)]);
  });

  test("a topic policy open to any principal, or without the source conditions, fails OPS-3", () => {
    const ctx = mutated((s) => {
      const policy = Object.values<any>(s.app.resource.aws_sns_topic_policy)[0];
      const doc = JSON.parse(policy.policy);
      doc.Statement[0].Principal = "*";
      policy.policy = JSON.stringify(doc);
      const other = Object.values<any>(s.app.resource.aws_sns_topic_policy)[1];
      const doc2 = JSON.parse(other.policy);
      delete doc2.Statement[0].Condition;
      other.policy = JSON.stringify(doc2);
    }, "alarms");
    expect(rule("OPS-3").check(ctx)).toHaveLength(2);
  });

  test("a topic encrypted with alias/aws/sns, or with a key CloudWatch may not use, fails OPS-4", () => {
    const ctx = mutated((s) => {
      Object.values<any>(s.app.resource.aws_sns_topic)[1].kms_master_key_id = "alias/aws/sns";
      const key = Object.values<any>(s.app.resource.aws_kms_key)[0];
      const doc = JSON.parse(key.policy);
      doc.Statement = doc.Statement.filter((st: any) => st.Principal?.Service !== "cloudwatch.amazonaws.com");
      key.policy = JSON.stringify(doc);
    }, "alarms");
    expect(show(rule("OPS-4").check(ctx))).toEqual([
      expect.stringMatching(/alarm_topic_[0-9A-F]+: .*does not let cloudwatch.amazonaws.com use it/),
      expect.stringMatching(/alarm_topic_us_east_1.*AWS managed key/),
    ]);
  });
});

describe("the spend stop's rule catches what it names (mutated alarms variant)", () => {
  const spendStopPolicy = (s: Record<string, any>) =>
    Object.entries<any>(s.app.resource.aws_iam_role_policy).find(([name]) => name.startsWith("spend_stop_"))![1];

  test("the variant passes SPEND-1", () => {
    expect(rule("SPEND-1").check(context("alarms"))).toEqual([]);
  });

  test("the function allowed on every API, or subscribed to nothing, or a budget that never publishes, fails SPEND-1", () => {
    const wide = mutated((s) => {
      const p = spendStopPolicy(s);
      const doc = JSON.parse(p.policy);
      for (const st of doc.Statement) if (String(st.Action).includes("apigateway:")) st.Resource = "arn:aws:apigateway:eu-west-1::/apis/*";
      p.policy = JSON.stringify(doc);
    }, "alarms");
    expect(show(rule("SPEND-1").check(wide))).toEqual([expect.stringContaining("beyond this stage")]);
    const unsubscribed = mutated((s) => delete s.app.resource.aws_sns_topic_subscription, "alarms");
    expect(show(rule("SPEND-1").check(unsubscribed))).toEqual([expect.stringContaining("is subscribed to no topic")]);
    const silent = mutated((s) => {
      for (const n of first(s, "aws_budgets_budget").notification) delete n.subscriber_sns_topic_arns;
    }, "alarms");
    expect(show(rule("SPEND-1").check(silent))).toEqual([expect.stringContaining("no budget's ACTUAL > 100% alert publishes")]);
    const closed = mutated((s) => {
      const p = Object.values<any>(s.registry.resource.aws_sns_topic_policy)[0];
      const doc = JSON.parse(p.policy);
      doc.Statement[0].Principal = { Service: "cloudwatch.amazonaws.com" };
      p.policy = JSON.stringify(doc);
    }, "alarms");
    expect(show(rule("SPEND-1").check(closed))).toEqual([expect.stringContaining("does not let budgets.amazonaws.com publish")]);
  });
});

describe("the VPC roles' rules catch what they name", () => {
  test("AWS's managed VPC execution policy (logs actions on every group) fails GAP-10", () => {
    const ctx = mutated((s) => {
      s.app.resource.aws_iam_role_policy_attachment = {
        vpc_access: { role: "x", policy_arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" },
      };
    });
    expect(rule("GAP-10").check(ctx)).toHaveLength(1);
  });

  test("a VPC function without the ENI statements, or with them on Resource *, fails GAP-11", () => {
    const strip = mutated((s) => {
      const p = first(s, "aws_iam_role_policy");
      const doc = JSON.parse(p.policy);
      doc.Statement = doc.Statement.filter((st: any) => !String(st.Action).includes("ec2:"));
      p.policy = JSON.stringify(doc);
    });
    expect(show(rule("GAP-11").check(strip))).toEqual([expect.stringContaining("missing ec2:CreateNetworkInterface")]);
    const wide = mutated((s) => {
      const p = first(s, "aws_iam_role_policy");
      const doc = JSON.parse(p.policy);
      for (const st of doc.Statement) if (String(st.Action).includes("ec2:Create")) st.Resource = "*";
      p.policy = JSON.stringify(doc);
    });
    expect(show(rule("GAP-11").check(wide))).toEqual([expect.stringContaining("ec2:CreateNetworkInterface on Resource *")]);
  });

  test("a flow-log role writing to every log group, or trusting any account's flow logs, fails GAP-12", () => {
    const toggles = synthVariant("all-toggles").stacks;
    const withFlowLogs = (change: (s: Record<string, any>) => void): PolicyContext => {
      const stacks = structuredClone(toggles) as Record<string, any>;
      change(stacks);
      return { variant: "all-toggles", config: context("all-toggles").config, model: new TfModel(stacks) };
    };
    const flowPolicy = (s: Record<string, any>) =>
      Object.entries<any>(s.app.resource.aws_iam_role_policy).find(([name]) => name.includes("flow_log"))![1];
    const flowRole = (s: Record<string, any>) =>
      Object.entries<any>(s.app.resource.aws_iam_role).find(([name]) => name.includes("flow_log"))![1];
    expect(rule("GAP-12").check(withFlowLogs(() => {}))).toEqual([]);
    const wide = withFlowLogs((s) => {
      const doc = JSON.parse(flowPolicy(s).policy);
      for (const st of doc.Statement) st.Resource = "*";
      flowPolicy(s).policy = JSON.stringify(doc);
    });
    expect(show(rule("GAP-12").check(wide))).toEqual([expect.stringContaining("on Resource *")]);
    const anyAccount = withFlowLogs((s) => {
      const trust = JSON.parse(flowRole(s).assume_role_policy);
      for (const st of trust.Statement) delete st.Condition;
      flowRole(s).assume_role_policy = JSON.stringify(trust);
    });
    expect(show(rule("GAP-12").check(anyAccount))).toEqual([expect.stringContaining("aws:SourceAccount")]);
  });
});

describe("the policy suite itself", () => {
  test("the default variant leaves every cost toggle off and all-toggles switches every one on", () => {
    expect(toggleRules.filter((r) => r.enabled(context("default").config)).map((r) => r.id)).toEqual([]);
    expect(toggleRules.filter((r) => !r.enabled(context("all-toggles").config)).map((r) => r.id)).toEqual([]);
  });

  test("every exception names a known rule and an excepted variant, with a reason", () => {
    const ids = new Set(allRules.map((r) => r.id));
    for (const e of EXCEPTIONS) {
      expect(ids.has(e.rule), `exception for unknown rule ${e.rule}`).toBe(true);
      expect(e.reason.length).toBeGreaterThan(20);
      if (e.variants !== "all") for (const v of e.variants) expect(VARIANT_NAMES).toContain(v);
    }
  });

  test("rule ids are unique", () => {
    const ids = allRules.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});
