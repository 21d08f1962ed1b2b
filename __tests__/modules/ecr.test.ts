/** Ecr on its own: the secure defaults, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { Ecr } from "../../modules/ecr.js";
import { synthConstruct } from "./support/synth.js";

describe("Ecr", () => {
  test("immutable tags, scan on push, encrypted, not force-deleted, with a lifecycle policy by default", () => {
    const { only } = synthConstruct((scope) => new Ecr(scope, "images", { repositoryName: "app" }));
    expect(only("aws_ecr_repository")).toMatchObject({
      name: "app",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "AES256" }],
      force_delete: false,
    });
    const rules = JSON.parse(only("aws_ecr_lifecycle_policy").policy).rules;
    expect(rules.map((r: { rulePriority: number }) => r.rulePriority)).toEqual([1, 2, 3]);
    expect(rules[2].selection).toMatchObject({ tagStatus: "any", countNumber: 10 });
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      const ecr = new Ecr(scope, "images", { repositoryName: "app" });
      ecr.repository.addOverride("image_scanning_configuration.scan_on_push", false);
      ecr.lifecyclePolicy.policy = JSON.stringify({ rules: [] });
    });
    expect(only("aws_ecr_repository").image_scanning_configuration).toEqual({ scan_on_push: false });
    expect(JSON.parse(only("aws_ecr_lifecycle_policy").policy)).toEqual({ rules: [] });
  });
});
