/**
 * A model of how ECR applies a lifecycle policy, from its documented evaluation rules
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html): rules apply
 * lowest rulePriority first; an image that matches the tag selection of a rule cannot be expired
 * by a rule with a lower priority (a higher rulePriority number); with imageCountMoreThan the
 * selected images are sorted newest push first and those beyond the count expire; tagPrefixList
 * matches an image when each prefix matches one of its tags.
 */
export interface LifecycleRule {
  rulePriority: number;
  selection: {
    tagStatus: "tagged" | "untagged" | "any";
    tagPrefixList?: string[];
    countType: "imageCountMoreThan" | "sinceImagePushed";
    countNumber: number;
  };
  action: { type: "expire" };
}

export interface ModelImage {
  digest: string;
  tags: string[];
  /** Push order: a higher number is a newer push. */
  pushed: number;
}

const selects = (rule: LifecycleRule, image: ModelImage) => {
  const { tagStatus, tagPrefixList = [] } = rule.selection;
  if (tagStatus === "any") return true;
  if (tagStatus === "untagged") return image.tags.length === 0;
  return image.tags.length > 0 && tagPrefixList.every((p) => image.tags.some((t) => t.startsWith(p)));
};

/** The digests the policy expires (count rules only; age rules need clocks the tests do not model). */
export function expiredBy(rules: LifecycleRule[], images: ModelImage[]): string[] {
  const claimed = new Set<string>(); // matched by a higher-priority rule's selection
  const expired = new Set<string>();
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const selected = images.filter((i) => selects(rule, i));
    if (rule.selection.countType === "imageCountMoreThan") {
      const newestFirst = [...selected].sort((a, b) => b.pushed - a.pushed);
      for (const image of newestFirst.slice(rule.selection.countNumber)) if (!claimed.has(image.digest)) expired.add(image.digest);
    }
    for (const image of selected) claimed.add(image.digest);
  }
  return [...expired];
}
