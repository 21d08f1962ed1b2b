import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudfrontFunction } from "@cdktf/provider-aws/lib/cloudfront-function";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { SPA_ROUTING_FUNCTION_CODE } from "./spa-routing.js";

/** AWS managed cache policy "Managed-CachingOptimized" (the blog's; the id is the same in every account). */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";

export interface CloudfrontProps {
  /**
   * Unique name prefix for the OAC, the headers policy and the routing function: account-wide
   * names, at most 60 characters (the OAC's and the function's limit is 64, and the function adds
   * "-spa"), so include the stage and the region.
   */
  readonly name: string;
  /** @default "" */
  readonly comment?: string;
  /** Description of the origin access control. @default "Frontend assets bucket" */
  readonly originAccessControlDescription?: string;
  /** Comment of the response headers policy. @default "HSTS, CSP, nosniff, no framing" (what it sets) */
  readonly responseHeadersPolicyComment?: string;
  /** The private bucket's regional domain name (never the website endpoint). */
  readonly originDomainName: string;
  /** Custom domain names; require `acmCertificateArn`. @default [] (the cloudfront.net name) */
  readonly aliases?: string[];
  /** A validated certificate in us-east-1. @default CloudFront's own *.cloudfront.net certificate */
  readonly acmCertificateArn?: string;
  /** @default "PriceClass_100" (North America and Europe: the cheapest) */
  readonly priceClass?: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
  /** Origins the app may call (CSP connect-src), besides itself. @default [] */
  readonly connectSrc?: string[];
  /**
   * Standard access logs (CKV_AWS_86) to a bucket with ACLs enabled. `bucketWriteSettings` (the
   * log bucket's `writeSettings`) makes the distribution wait until its ACLs are on: CloudFront refuses
   * the bucket otherwise ("does not enable ACL access").
   * @default off
   */
  readonly logging?: { bucketDomainName: string; prefix: string; bucketWriteSettings?: ITerraformDependable[] };
  /** WAFv2 web ACL ARN (scope CLOUDFRONT, CKV_AWS_68). @default none */
  readonly webAclArn?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** The Content-Security-Policy of the app: only its own code, and API calls to `connectSrc`. */
export function contentSecurityPolicy(connectSrc: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connectSrc].join(" ")}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/**
 * The app's pattern, modelled on terraform-aws-modules/cloudfront 3.4 as the blog uses it (an S3
 * origin behind an origin access control, redirect to HTTPS, CachingOptimized, TLSv1.2_2021, IPv6),
 * restricted to GET/HEAD, with a security response-headers policy (HSTS, CSP, nosniff, frame
 * denial), client-side routes served by a viewer-request function (never by turning errors into
 * index.html), and the cheapest price class by default.
 */
export class Cloudfront extends Construct {
  readonly distributionId: string;
  readonly distributionArn: string;
  readonly domainName: string;
  readonly hostedZoneId: string;
  /** The aws_cloudfront_distribution; change any attribute with `addOverride` (docs/constructs.md). */
  readonly distribution: CloudfrontDistribution;
  /** Origin access control: CloudFront signs its requests to the bucket. */
  readonly originAccessControl: CloudfrontOriginAccessControl;
  /** HSTS, CSP, nosniff, frame denial, referrer policy. */
  readonly responseHeadersPolicy: CloudfrontResponseHeadersPolicy;
  /** The viewer-request function that serves client-side routes with /index.html. */
  readonly spaRoutingFunction: CloudfrontFunction;

  constructor(scope: Construct, id: string, props: CloudfrontProps) {
    super(scope, id);
    const tags = props.tags ?? {};
    const oac = new CloudfrontOriginAccessControl(this, "oac", {
      name: props.name,
      description: props.originAccessControlDescription ?? "Frontend assets bucket",
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
      // In use by the distribution, so it cannot be deleted first: a renamed one is replaced by
      // creating the new one, moving the distribution, then deleting the old.
      lifecycle: { createBeforeDestroy: true },
    });
    const headers = new CloudfrontResponseHeadersPolicy(this, "security_headers", {
      name: `${props.name}-security-headers`,
      comment: props.responseHeadersPolicyComment ?? "HSTS, CSP, nosniff, no framing",
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: false, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.connectSrc ?? []), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
      lifecycle: { createBeforeDestroy: true }, // in use by the distribution, as the OAC
    });

    // Client-side routes become /index.html before the cache and the origin see them; files are
    // fetched as they are, so a missing one is S3's 404 (the bucket policy lets CloudFront list)
    // and a WAF block or an access error stays a 403. No error is ever answered with index.html.
    const spaRouting = new CloudfrontFunction(this, "spa_routing", {
      name: `${props.name}-spa`,
      runtime: "cloudfront-js-2.0",
      comment: "Extension-less paths are client-side routes: serve /index.html",
      code: SPA_ROUTING_FUNCTION_CODE,
      publish: true,
      lifecycle: { createBeforeDestroy: true }, // associated with the distribution, as the OAC
    });

    const originId = "s3";
    const distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: props.comment ?? "",
      aliases: props.aliases,
      priceClass: props.priceClass ?? "PriceClass_100",
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      defaultRootObject: "index.html",
      waitForDeployment: true,
      webAclId: props.webAclArn,
      origin: [{ originId, domainName: props.originDomainName, originAccessControlId: oac.id }],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"], // a static origin takes no writes
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: headers.id,
        compress: true,
        functionAssociation: [{ eventType: "viewer-request", functionArn: spaRouting.arn }],
      },
      restrictions: { geoRestriction: { restrictionType: "none", locations: [] } },
      viewerCertificate: props.acmCertificateArn
        ? { acmCertificateArn: props.acmCertificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
        : { cloudfrontDefaultCertificate: true },
      loggingConfig: props.logging
        ? { bucket: props.logging.bucketDomainName, prefix: props.logging.prefix, includeCookies: false }
        : undefined,
      dependsOn: props.logging?.bucketWriteSettings,
      tags,
    });
    this.distribution = distribution;
    this.originAccessControl = oac;
    this.responseHeadersPolicy = headers;
    this.spaRoutingFunction = spaRouting;
    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.domainName = distribution.domainName;
    this.hostedZoneId = distribution.hostedZoneId;
  }
}
