import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";

/**
 * How every repository is encrypted at rest: SSE with S3-managed keys (AES-256), free. See
 * docs/aws-behaviour.md ("ECR encryption") for why it is not tied to `kms_customer_key`.
 */
export const REPOSITORY_ENCRYPTION = "AES256";

export interface EcrProps {
  /** Repository name (the module's `repository_name`). */
  readonly repositoryName: string;
  /**
   * Keep this many most recent images; older ones expire, except those tagged with
   * `protectedTagPrefix` (the image a stage runs), which this count can never expire.
   * @default 10
   */
  readonly keepImages?: number;
  /**
   * Images with a tag starting with this are kept whatever `keepImages` says: the deploy tags the
   * image the function runs `deployed-<tag>` and takes the tag off earlier images after a deploy.
   * @default "deployed-"
   */
  readonly protectedTagPrefix?: string;
  /** Untagged images (e.g. left by an interrupted push) expire after this many days. @default 1 */
  readonly untaggedExpiryDays?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The app's pattern, modelled on terraform-aws-modules/ecr 2.3, with what the blog switched off
 * switched back on: immutable tags (a tag always means one image), scan on push, and a lifecycle
 * policy so images do not pile up. No repository policy: Lambda adds its own statement for
 * same-account pulls and a Terraform-owned policy would fight it (terraform-aws-ecr#34).
 */
export class Ecr extends Construct {
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  readonly repositoryArn: string;
  /** The aws_ecr_repository; change any attribute with `addOverride` (docs/constructs.md). */
  readonly repository: EcrRepository;
  /** The lifecycle policy built by `lifecycleRules`. */
  readonly lifecyclePolicy: EcrLifecyclePolicy;

  constructor(scope: Construct, id: string, props: EcrProps) {
    super(scope, id);
    const repo = new EcrRepository(this, "repository", {
      name: props.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      // Fixed, never a config toggle: ECR cannot change a repository's encryption, so the provider
      // replaces the repository, and deleting one that holds images fails (RepositoryNotEmptyException),
      // which would stop every later deploy at the registry stack. A repository created with KMS
      // by an earlier version keeps it: the setting is only ever read at creation.
      encryptionConfiguration: [{ encryptionType: REPOSITORY_ENCRYPTION }],
      lifecycle: { ignoreChanges: ["encryption_configuration"] },
      forceDelete: false, // `npm run destroy` empties it first, on purpose
      tags: props.tags,
    });
    this.repository = repo;
    this.lifecyclePolicy = new EcrLifecyclePolicy(this, "lifecycle", {
      repository: repo.name,
      policy: JSON.stringify({ rules: lifecycleRules(props) }),
    });
    this.repositoryName = repo.name;
    this.repositoryUrl = repo.repositoryUrl;
    this.repositoryArn = repo.arn;
  }
}

/**
 * Lifecycle rules, highest priority first. ECR: "an image that matches the tagging requirements of
 * a rule cannot be expired by a rule with a lower priority", and a `tagStatus: any` rule must come
 * last (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html). Rule 1
 * selects the protected prefix with a count no repository reaches, so it never expires anything
 * itself; it only takes those images out of reach of rule 3.
 */
export function lifecycleRules(props: Pick<EcrProps, "keepImages" | "untaggedExpiryDays" | "protectedTagPrefix">): object[] {
  const keep = props.keepImages ?? 10;
  return [
    {
      rulePriority: 1,
      description: "Keep the images deployed stages run",
      selection: {
        tagStatus: "tagged",
        tagPrefixList: [props.protectedTagPrefix ?? "deployed-"],
        countType: "imageCountMoreThan",
        countNumber: 9999,
      },
      action: { type: "expire" },
    },
    {
      rulePriority: 2,
      description: "Expire untagged images",
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: props.untaggedExpiryDays ?? 1 },
      action: { type: "expire" },
    },
    {
      rulePriority: 3,
      description: `Keep the last ${keep} images`,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
      action: { type: "expire" },
    },
  ];
}
