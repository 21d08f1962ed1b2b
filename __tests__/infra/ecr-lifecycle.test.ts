/**
 * The ECR lifecycle policy never expires the image a stage runs: the deploy tags it deployed-<tag>
 * and the policy's top rule keeps that prefix, so "keep the last N" cannot reach it however many
 * images are pushed without a successful deploy. Asserted on the synthesized policy, and by running
 * it through a model of ECR's documented rule evaluation.
 */
import { describe, expect, test } from "vitest";
import { DEPLOYED_TAG_PREFIX, deployedTag } from "../../scripts/deploy/deployed-marker.js";
import { expiredBy, type LifecycleRule, type ModelImage } from "../support/ecr-lifecycle.js";
import { single } from "../support/tf.js";
import { synthVariant } from "../support/variants.js";

const variant = synthVariant("default");
const rules = (): LifecycleRule[] => JSON.parse(single(variant.stacks.registry!, "aws_ecr_lifecycle_policy").policy).rules;

describe("ECR lifecycle policy", () => {
  test("its top-priority rule selects the deploy's marker prefix and keeps a count no repository reaches", () => {
    const byPriority = [...rules()].sort((a, b) => a.rulePriority - b.rulePriority);
    expect(byPriority[0]).toEqual({
      rulePriority: 1,
      description: expect.any(String),
      selection: { tagStatus: "tagged", tagPrefixList: [DEPLOYED_TAG_PREFIX], countType: "imageCountMoreThan", countNumber: 9999 },
      action: { type: "expire" },
    });
  });

  test("the tagStatus any rule comes last, as ECR requires, and keeps ecr_keep_images", () => {
    const byPriority = [...rules()].sort((a, b) => a.rulePriority - b.rulePriority);
    expect(byPriority.at(-1)!.selection).toEqual({
      tagStatus: "any",
      countType: "imageCountMoreThan",
      countNumber: variant.config.ecr_keep_images,
    });
    expect(new Set(rules().map((r) => r.rulePriority)).size).toBe(rules().length);
  });

  test("the deployed image survives any number of newer pushes; an unmarked one would not", () => {
    const keep = variant.config.ecr_keep_images;
    const running: ModelImage = { digest: "sha256:running", tags: ["aaaa-arm64", deployedTag("aaaa-arm64")], pushed: 0 };
    const pushes: ModelImage[] = Array.from({ length: keep + 5 }, (_, i) => ({
      digest: `sha256:new${i}`,
      tags: [`n${i}-arm64`],
      pushed: i + 1,
    }));
    const expired = expiredBy(rules(), [running, ...pushes]);
    expect(expired).not.toContain("sha256:running");
    expect(expired).toHaveLength(5); // the oldest unmarked pushes beyond keep-1 (the marked one counts among the N)
    const unmarked = { ...running, tags: ["aaaa-arm64"] };
    expect(expiredBy(rules(), [unmarked, ...pushes])).toContain("sha256:running");
  });
});
