/** Cloudfront on its own: the secure defaults, and one attribute changed through an exposed resource. */
import { describe, expect, test } from "vitest";
import { Cloudfront, type CloudfrontProps } from "../../modules/cloudfront.js";
import { synthConstruct } from "./support/synth.js";

const props: CloudfrontProps = { name: "web", originDomainName: "assets.s3.eu-west-1.amazonaws.com" };

describe("Cloudfront", () => {
  test("HTTPS only, signed origin requests, security headers and the cheapest price class by default", () => {
    const { only } = synthConstruct((scope) => new Cloudfront(scope, "cdn", props));
    const distribution = only("aws_cloudfront_distribution");
    expect(distribution).toMatchObject({ price_class: "PriceClass_100", http_version: "http2and3", default_root_object: "index.html" });
    expect(distribution.default_cache_behavior).toMatchObject({
      viewer_protocol_policy: "redirect-to-https",
      allowed_methods: ["GET", "HEAD"],
    });
    expect(distribution.custom_error_response).toBeUndefined(); // errors are never answered with index.html
    expect(only("aws_cloudfront_origin_access_control")).toMatchObject({ signing_behavior: "always", signing_protocol: "sigv4" });
    const headers = only("aws_cloudfront_response_headers_policy").security_headers_config;
    expect(headers.strict_transport_security.access_control_max_age_sec).toBe(63072000);
    expect(headers.frame_options.frame_option).toBe("DENY");
  });

  test("TLS 1.2 minimum with a certificate", () => {
    const { only } = synthConstruct(
      (scope) => new Cloudfront(scope, "cdn", { ...props, aliases: ["example.com"], acmCertificateArn: "arn:cert" }),
    );
    expect(only("aws_cloudfront_distribution").viewer_certificate).toMatchObject({
      minimum_protocol_version: "TLSv1.2_2021",
      ssl_support_method: "sni-only",
    });
  });

  test("the origin access control's description and the headers policy's comment are props", () => {
    const synth = (extra: Partial<CloudfrontProps>) => synthConstruct((scope) => new Cloudfront(scope, "cdn", { ...props, ...extra }));
    expect(synth({}).only("aws_cloudfront_origin_access_control").description).toBe("Frontend assets bucket");
    expect(synth({}).only("aws_cloudfront_response_headers_policy").comment).toBe("HSTS, CSP, nosniff, no framing");
    const custom = synth({ originAccessControlDescription: "Docs site bucket", responseHeadersPolicyComment: "Docs headers" });
    expect(custom.only("aws_cloudfront_origin_access_control").description).toBe("Docs site bucket");
    expect(custom.only("aws_cloudfront_response_headers_policy").comment).toBe("Docs headers");
  });

  test("an exposed resource takes an override", () => {
    const { only } = synthConstruct((scope) => {
      const cdn = new Cloudfront(scope, "cdn", props);
      cdn.distribution.priceClass = "PriceClass_All";
      cdn.responseHeadersPolicy.addOverride("security_headers_config.strict_transport_security.preload", true);
    });
    expect(only("aws_cloudfront_distribution").price_class).toBe("PriceClass_All");
    expect(only("aws_cloudfront_response_headers_policy").security_headers_config.strict_transport_security.preload).toBe(true);
  });
});
