import { TerraformIterator, type TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

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
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Mirrors terraform-aws-modules/acm 5.1: a DNS-validated public certificate (free), its validation
 * CNAMEs and the validation wait, so whatever uses `certificateArn` waits for issuance.
 */
export class Acm extends Construct {
  /** ARN of the *validated* certificate. */
  readonly certificateArn: string;

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
    const options = TerraformIterator.fromComplexList(cert.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation", {
      forEach: options,
      zoneId: props.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation_wait", {
      provider: props.provider,
      certificateArn: cert.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty("fqdn")),
    });
    this.certificateArn = validation.certificateArn;
  }
}
