/** The app stack's log bucket takes the web bucket's server access logs through S3Bucket's own prop. */
import { expect, test } from "vitest";
import { resources } from "../support/tf.js";
import { synthVariant } from "../support/variants.js";

test("with access_logging the log bucket's policy lets S3 deliver the web bucket's access logs", () => {
  const app = synthVariant("all-toggles").stacks.app!;
  const statements = resources(app, "aws_s3_bucket_policy").flatMap((p) => JSON.parse(p.body.policy).Statement);
  const delivery = statements.filter((s: { Principal?: { Service?: string } }) => s.Principal?.Service === "logging.s3.amazonaws.com");
  expect(delivery).toHaveLength(1);
  expect(delivery[0].Condition.StringEquals["aws:SourceAccount"]).toBeDefined();
});
