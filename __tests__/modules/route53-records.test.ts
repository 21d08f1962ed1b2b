/** Route53Records on its own: alias A and AAAA records by default, no health evaluation. */
import { describe, expect, test } from "vitest";
import { Route53Records } from "../../modules/route53-records.js";
import { synthConstruct } from "./support/synth.js";

const props = { zoneId: "Z123", name: "app.example.com", alias: { name: "d111.cloudfront.net", zoneId: "Z2FDTNDATAQYW2" } };

describe("Route53Records", () => {
  test("an A and an AAAA alias record by default, both to the target", () => {
    const { resources } = synthConstruct((scope) => new Route53Records(scope, "records", props));
    const records = Object.values(resources.aws_route53_record ?? {});
    expect(records.map((r) => r.type)).toEqual(["A", "AAAA"]);
    for (const record of records) {
      expect(record).toMatchObject({
        zone_id: "Z123",
        name: "app.example.com",
        alias: { name: "d111.cloudfront.net", zone_id: "Z2FDTNDATAQYW2", evaluate_target_health: false },
      });
    }
  });

  test("types limits the records; an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new Route53Records(scope, "records", { ...props, types: ["A"] }).records[0]!.allowOverwrite = true;
    });
    expect(only("aws_route53_record")).toMatchObject({ type: "A", allow_overwrite: true });
  });
});
