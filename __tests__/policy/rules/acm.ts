/** ACM certificate rules (docs/security.md, "ACM"). */
import { each, type PolicyContext, type Rule } from "../support/rule.js";
import { many, one } from "../support/tf-json.js";

const certificates = (ctx: PolicyContext) => ctx.model.resources("aws_acm_certificate");

export const acmRules: Rule[] = [
  {
    kind: "baseline",
    id: "CKV_AWS_233",
    title: "ACM certificates are created before the old one is destroyed",
    check: (ctx) =>
      each(certificates(ctx), (c) => one(c.body.lifecycle)?.create_before_destroy === true || "no lifecycle.create_before_destroy"),
  },
  {
    kind: "baseline",
    id: "CKV_AWS_234",
    title: "ACM certificates keep certificate transparency logging",
    check: (ctx) =>
      each(certificates(ctx), (c) => {
        const pref = one(c.body.options)?.certificate_transparency_logging_preference;
        return pref === undefined || pref === "ENABLED" || `certificate_transparency_logging_preference ${pref}`;
      }),
  },
  {
    kind: "baseline",
    id: "CKV2_AWS_71",
    title: "ACM certificates name exact hosts (no wildcard)",
    check: (ctx) =>
      each(certificates(ctx), (c) => {
        const names = [c.body.domain_name, ...many(c.body.subject_alternative_names)].map(String);
        return !names.some((n) => n.includes("*")) || `wildcard in ${names.join(", ")}`;
      }),
  },
];
