import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { DataAwsRoute53Records } from "@cdktf/provider-aws/lib/data-aws-route53-records";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { Acm } from "./acm.js";
import { Route53Records } from "./route53-records.js";

export interface CognitoCustomLoginDomainProps {
  /** e.g. `auth.example.com`. Its parent (`example.com`) must resolve to an A record (see below). */
  readonly domainName: string;
  /** Route53 zone for the certificate's validation records and the alias record. */
  readonly zoneId: string;
  /** A provider in us-east-1: Cognito serves custom domains through CloudFront, which takes certificates from there only. */
  readonly usEast1Provider: TerraformProvider;
  /**
   * Stop the plan, before anything is created, when the parent domain has no A record in this
   * zone (Cognito would refuse the domain half-way through the apply). Off when the parent's
   * records live in another zone or DNS service. @default true
   */
  readonly checkParentARecord?: boolean;
}

export interface CognitoLoginDomainProps {
  readonly userPoolId: string;
  /** The pool's region (the prefix domain's host names it). */
  readonly region: string;
  /**
   * Prefix of the Cognito domain `<prefix>.auth.<region>.amazoncognito.com`: unique in the region,
   * lower-case letters, digits and hyphens, without "aws", "amazon" or "cognito". Ignored with `customDomain`.
   */
  readonly prefix: string;
  /** Serve the login pages on your own name instead. @default none: the prefix domain */
  readonly customDomain?: CognitoCustomLoginDomainProps;
  /**
   * 1: the classic hosted UI, the only login pages of the Lite plan; 2: managed login (Essentials
   * and above, and it needs a branding style). @default 1
   */
  readonly managedLoginVersion?: 1 | 2;
}

/**
 * The pool's domain: the OAuth 2.0 authorization server (authorize, token, logout endpoints) and
 * its login pages (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain.html).
 * On a custom domain Cognito needs an ACM certificate in us-east-1 and an A record on the
 * parent domain (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-add-custom-domain.html);
 * the name itself is an alias to the CloudFront distribution Cognito creates.
 */
export class CognitoLoginDomain extends Construct {
  /** The host of the login pages, e.g. `auth.example.com`. */
  readonly host: string;
  /** `https://<host>`: the origin the web app's CSP lets it call (the token endpoint). */
  readonly origin: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly logoutEndpoint: string;
  /** The aws_cognito_user_pool_domain; change any attribute with `addOverride` (docs/constructs.md). */
  readonly domain: CognitoUserPoolDomain;
  /** The custom domain's us-east-1 certificate, when `customDomain` is given. */
  readonly certificate?: Acm;
  /** The custom domain's alias records, when `customDomain` is given. */
  readonly records?: Route53Records;
  /** The lookup of the parent domain's records that checks its A record, when `customDomain` is given. */
  readonly parentRecords?: DataAwsRoute53Records;

  constructor(scope: Construct, id: string, props: CognitoLoginDomainProps) {
    super(scope, id);
    const custom = props.customDomain;
    // Unresolved parts (the account id) are digits at apply time.
    const literalPrefix = props.prefix.replace(/\$\{[^}]*\}/g, "0");
    if (!custom && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(literalPrefix)) {
      throw new Error(`CognitoLoginDomain ${id}: prefix "${props.prefix}" must be 1-63 lower-case letters, digits and hyphens`);
    }
    if (!custom && /aws|amazon|cognito/.test(literalPrefix)) {
      throw new Error(
        `CognitoLoginDomain ${id}: prefix "${props.prefix}" must not contain "aws", "amazon" or "cognito" (Cognito reserves them)`,
      );
    }
    if (custom && (custom.checkParentARecord ?? true)) {
      const parent = custom.domainName.slice(custom.domainName.indexOf(".") + 1);
      // Route53 returns names with the trailing dot.
      this.parentRecords = new DataAwsRoute53Records(this, "parent_records", {
        zoneId: custom.zoneId,
        nameRegex: `^${parent.replace(/\./g, "\\.")}\\.?$`,
        lifecycle: {
          postcondition: [
            {
              condition: '${length([for r in self.resource_record_sets : r if r.type == "A"]) > 0}',
              errorMessage:
                `${parent} has no A record in its Route53 zone, and Cognito only creates the login domain ` +
                `${custom.domainName} when its parent domain resolves to an A record ` +
                "(https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-add-custom-domain.html). " +
                `Add an A record for ${parent} (e.g. your website, or an alias to the web app's CloudFront distribution), then deploy again.`,
            },
          ],
        },
      });
    }
    const certificate = custom
      ? new Acm(this, "certificate", { domainName: custom.domainName, zoneId: custom.zoneId, provider: custom.usEast1Provider })
      : undefined;
    const domain = new CognitoUserPoolDomain(this, "domain", {
      userPoolId: props.userPoolId,
      domain: custom ? custom.domainName : props.prefix,
      certificateArn: certificate?.certificateArn,
      managedLoginVersion: props.managedLoginVersion ?? 1,
    });
    if (custom) {
      // An A alias, as the Cognito guide above sets up (it documents no AAAA record).
      this.records = new Route53Records(this, "records", {
        zoneId: custom.zoneId,
        name: custom.domainName,
        types: ["A"],
        alias: { name: domain.cloudfrontDistribution, zoneId: domain.cloudfrontDistributionZoneId },
      });
    }
    this.domain = domain;
    this.certificate = certificate;
    this.host = custom ? custom.domainName : `${domain.domain}.auth.${props.region}.amazoncognito.com`;
    this.origin = `https://${this.host}`;
    // The endpoints of the pool's domain: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-userpools-server-contract-reference.html
    this.authorizationEndpoint = `${this.origin}/oauth2/authorize`;
    this.tokenEndpoint = `${this.origin}/oauth2/token`;
    this.logoutEndpoint = `${this.origin}/logout`;
  }
}
