import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";

export interface AliasTarget {
  /** DNS name of the target (e.g. a CloudFront or API Gateway domain). */
  readonly name: string;
  /** Hosted zone id of the target. */
  readonly zoneId: string;
}

export interface Route53RecordsProps {
  readonly zoneId: string;
  /** Fully qualified record name, e.g. `app.example.com`. */
  readonly name: string;
  readonly alias: AliasTarget;
  /**
   * Record types to create. Both by default: an IPv6-enabled target without AAAA is only half
   * reachable (the blog's frontend had only A).
   * @default ["A", "AAAA"]
   */
  readonly types?: ReadonlyArray<"A" | "AAAA">;
}

/**
 * The app's pattern, modelled on terraform-aws-modules/route53 `records` 4.1 for alias records:
 * one alias record per type (A and AAAA by default) to the target, without target health
 * evaluation. Route53 answers alias queries to AWS targets for free.
 */
export class Route53Records extends Construct {
  readonly fqdns: string[];
  /** One aws_route53_record per type, in the order of `types`. */
  readonly records: Route53Record[];

  constructor(scope: Construct, id: string, props: Route53RecordsProps) {
    super(scope, id);
    this.records = (props.types ?? ["A", "AAAA"]).map(
      (type) =>
        new Route53Record(this, type.toLowerCase(), {
          zoneId: props.zoneId,
          name: props.name,
          type,
          alias: { name: props.alias.name, zoneId: props.alias.zoneId, evaluateTargetHealth: false },
        }),
    );
    this.fqdns = this.records.map((record) => record.fqdn);
  }
}
