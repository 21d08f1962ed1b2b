import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";

/**
 * How every repository is encrypted at rest: SSE with S3-managed keys (AES-256), free. See
 * docs/aws-behaviour.md ("ECR encryption") for why it is not tied to `kms_customer_key`.
 */
export const REPOSITORY_ENCRYPTION = "AES256";

export interface EcrProps {
  /** Repository name (the module's `repository_name`). */
  readonly repositoryName: string;
  /**
   * Keep this many most recent images; older ones expire. The deploy pushes the image it deploys
   * last, so the running image is always among them.
   * @default 10
   */
  readonly keepImages?: number;
  /** Untagged images (e.g. left by an interrupted push) expire after this many days. @default 1 */
  readonly untaggedExpiryDays?: number;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Mirrors terraform-aws-modules/ecr 2.3, with what the blog switched off switched back on:
 * immutable tags (a tag always means one image), scan on push, and a lifecycle policy so images
 * do not pile up. No repository policy: Lambda adds its own statement for same-account pulls and a
 * Terraform-owned policy would fight it (terraform-aws-ecr#34).
 */
export class Ecr extends Construct {
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  readonly repositoryArn: string;

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
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: repo.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: "Expire untagged images",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: props.untaggedExpiryDays ?? 1 },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${props.keepImages ?? 10} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImages ?? 10 },
            action: { type: "expire" },
          },
        ],
      }),
    });
    this.repositoryName = repo.name;
    this.repositoryUrl = repo.repositoryUrl;
    this.repositoryArn = repo.arn;
  }
}
