/** KmsKey on its own: the secure defaults, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { KmsKey } from "../../modules/kms-key.js";
import { synthConstruct } from "./support/synth.js";

const props = { alias: "app", accountId: "123456789012", region: "eu-west-1" };

describe("KmsKey", () => {
  test("rotated, 30-day deletion window, aliased by default", () => {
    const { only } = synthConstruct((scope) => new KmsKey(scope, "key", props));
    expect(only("aws_kms_key")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(only("aws_kms_alias").name).toBe("alias/app");
  });

  test("the description is a prop, naming the alias by default", () => {
    const description = (extra: { description?: string }) =>
      synthConstruct((scope) => new KmsKey(scope, "key", { ...props, ...extra })).only("aws_kms_key").description;
    expect(description({})).toBe("Customer managed key for app");
    expect(description({ description: "Encrypts the docs site" })).toBe("Encrypts the docs site");
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new KmsKey(scope, "key", props).key.deletionWindowInDays = 7;
    });
    expect(only("aws_kms_key").deletion_window_in_days).toBe(7);
  });
});
