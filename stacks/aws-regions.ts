/**
 * The regions of the standard `aws` partition, where this starter's `arn:aws:` ARNs are valid
 * (not China's `aws-cn`, GovCloud's `aws-us-gov`, the ISO partitions or the European Sovereign
 * Cloud's `aws-eusc`).
 *
 * Sources: the AWS Regions table, https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html,
 * and the `aws` partition of the AWS SDK's endpoint metadata (partitions.json,
 * https://github.com/aws/aws-sdk-js-v3/blob/main/packages/util-endpoints/src/lib/aws/partitions.json),
 * which __tests__/infra/config-refusals.test.ts compares this list with.
 * A region that opens later is one line here.
 */
export const AWS_COMMERCIAL_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "me-west-1",
  "mx-central-1",
  "sa-east-1",
  "sa-west-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
] as const;

/** The longest region name: what account-wide names must leave room for. */
export const LONGEST_REGION_LENGTH = Math.max(...AWS_COMMERCIAL_REGIONS.map((r) => r.length));
