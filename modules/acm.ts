import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Fn, TerraformIterator, type TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";

/**
 * How long the apply waits for DNS validation. The provider's default is 75 minutes (ACM itself
 * keeps trying for 72 hours); with the validation records in a correctly delegated zone ACM issues
 * within minutes, so a longer wait only hides a delegation problem. The certificate survives a
 * timeout and keeps validating: re-running the deploy waits again. docs/aws-behaviour.md explains
 * the timeout error and what to check.
 */
export const VALIDATION_TIMEOUT = "30m";

export interface AcmProps {
  /** The certificate's name, e.g. `app.example.com`. */
  readonly domainName: string;
  /** Other names on the certificate, exactly as written (no module-style prefixing). @default [] */
  readonly subjectAlternativeNames?: string[];
  /** Route53 zone that holds the DNS validation records. */
  readonly zoneId: string;
  /**
   * Provider to create the certificate with: CloudFront only takes certificates from us-east-1,
   * a regional API Gateway domain only from its own region.
   * @default the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /** Longest wait for the certificate to be issued. @default VALIDATION_TIMEOUT ("30m") */
  readonly validationTimeout?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The app's pattern, modelled on terraform-aws-modules/acm 5.1: a DNS-validated public certificate
 * (free), its validation CNAMEs and the validation wait, so whatever uses `certificateArn` waits
 * for issuance.
 */
export class Acm extends Construct {
  /** ARN of the *validated* certificate. */
  readonly certificateArn: string;
  /** The aws_acm_certificate; change any attribute with `addOverride` (docs/constructs.md). */
  readonly certificate: AcmCertificate;
  /** The DNS validation records, one per domain name (`for_each`). */
  readonly validationRecords: Route53Record;
  /** Waits until ACM has issued the certificate. */
  readonly validation: AcmCertificateValidation;

  constructor(scope: Construct, id: string, props: AcmProps) {
    super(scope, id);
    const cert = new AcmCertificate(this, "certificate", {
      provider: props.provider,
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      options: { certificateTransparencyLoggingPreference: "ENABLED" },
      lifecycle: { createBeforeDestroy: true }, // no outage when the certificate is replaced (CKV_AWS_233)
      tags: { ...props.tags, Name: props.domainName },
    });
    // for_each keyed by the names we asked for (known at plan time), each looking up its own
    // validation option: keys taken from domain_validation_options itself are unknown until the
    // certificate exists, which only the real provider's plan-time diff papers over.
    const names = [props.domainName, ...(props.subjectAlternativeNames ?? [])];
    const eachName = TerraformIterator.fromList(names);
    const optionsByName = TerraformIterator.fromList(cert.domainValidationOptions).forExpressionForMap("val.domain_name", "val");
    const option = (attribute: string): string => Fn.lookupNested(optionsByName, [eachName.value, attribute]);
    const records = new Route53Record(this, "validation", {
      forEach: eachName,
      zoneId: props.zoneId,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation_wait", {
      provider: props.provider,
      certificateArn: cert.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
      timeouts: { create: props.validationTimeout ?? VALIDATION_TIMEOUT },
    });
    this.certificateArn = validation.certificateArn;
    this.certificate = cert;
    this.validationRecords = records;
    this.validation = validation;
  }
}
