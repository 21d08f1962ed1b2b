/** Acm on its own: the secure defaults, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { Acm } from "../../modules/acm.js";
import { synthConstruct } from "./support/synth.js";

const props = { domainName: "example.com", zoneId: "Z123" };

describe("Acm", () => {
  test("DNS-validated, certificate transparency logging on, replaced without an outage by default", () => {
    const { only } = synthConstruct((scope) => new Acm(scope, "cert", props));
    const cert = only("aws_acm_certificate");
    expect(cert).toMatchObject({ validation_method: "DNS", options: { certificate_transparency_logging_preference: "ENABLED" } });
    expect(cert.lifecycle).toMatchObject({ create_before_destroy: true });
    expect(only("aws_route53_record")).toMatchObject({ zone_id: "Z123", ttl: 60 });
    expect(only("aws_acm_certificate_validation").timeouts.create).toBe("30m");
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      new Acm(scope, "cert", props).certificate.keyAlgorithm = "EC_prime256v1";
    });
    expect(only("aws_acm_certificate").key_algorithm).toBe("EC_prime256v1");
  });
});
