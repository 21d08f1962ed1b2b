/** VPC, security group and endpoint rules (docs/security.md, "Network"; project check GAP-7). */
import { each, type Finding, finding, type PolicyContext, type Rule } from "../support/rule.js";
import { type Block, many, one, policyStatements, refersTo, refsIn } from "../support/tf-json.js";

const securityGroups = (ctx: PolicyContext) => ctx.model.resources("aws_security_group");
const ruleResources = (ctx: PolicyContext) =>
  ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].flatMap((t) =>
    ctx.model.resources(t),
  );

interface SgRule {
  owner: Block;
  direction: "ingress" | "egress";
  fromPort: number;
  toPort: number;
  protocol: string;
  cidrs: string[];
  description?: string;
}

/** Every ingress/egress rule, inline or as a separate resource, in one shape. */
function sgRules(ctx: PolicyContext): SgRule[] {
  const out: SgRule[] = [];
  for (const sg of securityGroups(ctx)) {
    for (const direction of ["ingress", "egress"] as const) {
      for (const r of many(sg.body[direction])) {
        out.push({
          owner: sg,
          direction,
          fromPort: Number(r.from_port),
          toPort: Number(r.to_port),
          protocol: String(r.protocol),
          cidrs: [...many(r.cidr_blocks), ...many(r.ipv6_cidr_blocks)] as unknown as string[],
          description: r.description,
        });
      }
    }
  }
  for (const r of ruleResources(ctx)) {
    const direction = r.type === "aws_security_group_rule" ? r.body.type : r.type.includes("ingress") ? "ingress" : "egress";
    out.push({
      owner: r,
      direction,
      fromPort: Number(r.body.from_port ?? 0),
      toPort: Number(r.body.to_port ?? 65535),
      protocol: String(r.body.protocol ?? r.body.ip_protocol),
      cidrs: [...many(r.body.cidr_blocks), ...many(r.body.ipv6_cidr_blocks), r.body.cidr_ipv4, r.body.cidr_ipv6].filter(
        Boolean,
      ) as unknown as string[],
      description: r.body.description,
    });
  }
  return out;
}

const isPublic = (r: SgRule) => r.cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0");
const allPorts = (r: SgRule) => r.protocol === "-1" || r.protocol === "all" || (r.fromPort <= 0 && r.toPort >= 65535);
const coversPort = (r: SgRule, port: number) => allPorts(r) || (r.fromPort <= port && port <= r.toPort);

function publicIngress(ctx: PolicyContext, port: number | "all"): Finding[] {
  return sgRules(ctx)
    .filter((r) => r.direction === "ingress" && isPublic(r) && (port === "all" ? allPorts(r) : coversPort(r, port)))
    .map((r) => finding(r.owner, `public ingress ${r.fromPort}-${r.toPort}/${r.protocol}`));
}

/** Route tables (or the data source listing them) that serve the Lambda's subnets. */
function lambdaRouteTables(ctx: PolicyContext, fn: Block): { tables: Block[]; subnetsKnown: boolean } {
  const subnetRefs = refsIn(one(fn.body.vpc_config)?.subnet_ids).filter((r) => r.type === "aws_subnet");
  const tables: Block[] = [];
  for (const ref of subnetRefs) {
    const subnet = ctx.model.resolve(fn, ref);
    for (const assoc of subnet ? ctx.model.referrers(subnet, "aws_route_table_association", "subnet_id") : []) {
      const rt = refsIn(assoc.body.route_table_id).find((r) => r.type === "aws_route_table");
      const table = rt && ctx.model.resolve(assoc, rt);
      if (table) tables.push(table);
    }
  }
  return { tables, subnetsKnown: subnetRefs.length > 0 };
}

export const networkRules: Rule[] = [
  {
    kind: "baseline",
    id: "CKV2_AWS_12",
    title: "Every VPC's default security group is declared and empty",
    check: (ctx) =>
      each(ctx.model.resources("aws_vpc"), (vpc) => {
        const sg = ctx.model.referrers(vpc, "aws_default_security_group", "vpc_id")[0];
        if (!sg) return "no aws_default_security_group connected";
        if (many(sg.body.ingress).length || many(sg.body.egress).length) return `${sg.address} has rules`;
        const attached = ruleResources(ctx).filter((r) => refersTo(r.body, sg));
        return attached.length === 0 || `${sg.address} has rule resources`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_130",
    title: "Subnets do not hand out public IPs",
    check: (ctx) => each(ctx.model.resources("aws_subnet"), (s) => s.body.map_public_ip_on_launch !== true || "map_public_ip_on_launch"),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_1",
    title: "Every custom network ACL is attached to subnets",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_network_acl"),
        (n) =>
          many(n.body.subnet_ids).length > 0 ||
          ctx.model.referrers(n, "aws_network_acl_association", "network_acl_id").length > 0 ||
          "unattached",
      ),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_5",
    title: "Every security group is attached to something",
    check: (ctx) =>
      each(securityGroups(ctx), (sg) => {
        const users = Object.values<Record<string, object>>(ctx.model.stacks[sg.stack]?.resource ?? {}).flatMap((byName) =>
          Object.values(byName),
        );
        const ruleTypes = new Set(ruleResources(ctx).map((r) => r.body));
        return users.some((body) => !ruleTypes.has(body) && body !== sg.body && refersTo(body, sg)) || "not referenced by any resource";
      }),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_23",
    title: "Security groups and their rules have descriptions (Trivy AWS-0099/0124)",
    check: (ctx) => [
      ...each(securityGroups(ctx), (sg) => !!sg.body.description || "no description"),
      ...sgRules(ctx)
        .filter((r) => !r.description)
        .map((r) => finding(r.owner, `${r.direction} rule ${r.fromPort}-${r.toPort} without description`)),
    ],
  },
  {
    kind: "baseline",
    id: "CKV_AWS_382",
    title: "Security groups allow no egress to the internet (Trivy AWS-0104; HTTPS to prefix lists only)",
    check: (ctx) =>
      sgRules(ctx)
        .filter((r) => r.direction === "egress" && isPublic(r))
        .map((r) => finding(r.owner, `egress ${r.fromPort}-${r.toPort} to ${r.cidrs.join(",")}`)),
  },
  { kind: "baseline", id: "CKV_AWS_24", title: "No security group opens SSH (22) to the internet", check: (ctx) => publicIngress(ctx, 22) },
  {
    kind: "baseline",
    id: "CKV_AWS_25",
    title: "No security group opens RDP (3389) to the internet",
    check: (ctx) => publicIngress(ctx, 3389),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_260",
    title: "No security group opens HTTP (80) to the internet",
    check: (ctx) => publicIngress(ctx, 80),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_277",
    title: "No security group opens all ports to the internet (Trivy AWS-0107)",
    check: (ctx) => publicIngress(ctx, "all"),
  },
  {
    kind: "baseline",
    id: "AWS-0101",
    title: "Nothing uses the default VPC",
    check: (ctx) => [
      ...each(ctx.model.data("aws_vpc"), (v) => v.body.default !== true || "looks up the default VPC"),
      ...each(ctx.model.resources("aws_default_vpc"), () => "manages the default VPC"),
    ],
  },
  {
    kind: "baseline",
    id: "GAP-7",
    title: "A VPC function reaches DynamoDB through a gateway endpoint on its subnets' route tables",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_lambda_function").filter((f) => one(f.body.vpc_config)),
        (fn) => {
          const endpoints = ctx.model
            .resources("aws_vpc_endpoint")
            .filter(
              (e) => e.stack === fn.stack && e.body.vpc_endpoint_type === "Gateway" && String(e.body.service_name).endsWith(".dynamodb"),
            );
          if (endpoints.length === 0) return "no DynamoDB gateway endpoint";
          const { tables, subnetsKnown } = lambdaRouteTables(ctx, fn);
          if (subnetsKnown) {
            const missing = tables.filter((t) => !endpoints.some((e) => refersTo(e.body.route_table_ids, t)));
            return (
              (tables.length > 0 && missing.length === 0) ||
              `route tables without the endpoint: ${missing.map((t) => t.address).join(", ") || "(none found)"}`
            );
          }
          // existing VPC: its subnets are ids, so each must have its own route table looked up and covered
          const subnetIds: unknown[] = one(fn.body.vpc_config)?.subnet_ids ?? [];
          const lookups = endpoints.flatMap((e) =>
            refsIn(e.body.route_table_ids)
              .filter((r) => r.mode === "data" && r.type === "aws_route_tables")
              .map((r) => ctx.model.resolve(e, r)?.body.filter)
              .flatMap((filters: { name: string; values: unknown[] }[] | undefined) =>
                (filters ?? []).filter((f) => f.name === "association.subnet-id").flatMap((f) => f.values),
              ),
          );
          const uncovered = subnetIds.filter((id) => !lookups.includes(id));
          return (
            (subnetIds.length > 0 && uncovered.length === 0) || `subnets whose route table lacks the endpoint: ${uncovered.join(", ")}`
          );
        },
      ),
  },
  {
    kind: "baseline",
    id: "WKLD.12",
    title: "The DynamoDB endpoint policy allows only the app's table",
    check: (ctx) =>
      each(
        ctx.model.resources("aws_vpc_endpoint").filter((e) => String(e.body.service_name).endsWith(".dynamodb")),
        (e) => {
          if (!e.body.policy) return "no endpoint policy (full access)";
          const allows = policyStatements(ctx.model, e, e.body.policy).filter((s) => s.effect === "Allow");
          const tables = ctx.model.resources("aws_dynamodb_table").filter((t) => t.stack === e.stack);
          const bad = allows.filter((s) => s.resources.length === 0 || !s.resources.every((r) => tables.some((t) => refersTo(r, t))));
          return (
            (allows.length > 0 && bad.length === 0) ||
            `statements not scoped to the table: ${bad.map((s) => s.resources.join(",")).join("; ")}`
          );
        },
      ),
  },
];
