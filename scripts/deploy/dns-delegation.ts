/**
 * With a domain, ACM validates the certificate through DNS records in the account's hosted zone.
 * Those records are seen only when the domain's public NS delegation names the hosted zone's own
 * name servers (its "delegation set": https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/protection-from-dangling-dns.html).
 * Otherwise aws_acm_certificate_validation waits out its create timeout (75 minutes by default:
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/acm_certificate_validation#timeouts)
 * and fails half-way through the app stack. This check compares both before anything changes.
 */
import { Resolver } from "node:dns/promises";
import { GetHostedZoneCommand, ListHostedZonesByNameCommand, Route53Client } from "@aws-sdk/client-route-53";
import { using } from "./aws.js";
import { describeError, StepProblem, type StepRunner } from "./steps.js";

/** Resolvers to ask, comma-separated host[:port] (e.g. 1.1.1.1 to skip a stale local cache). @default the system's */
export const DNS_SERVERS_ENV = "DEPLOY_DNS_SERVERS";

const normalize = (name: string) => name.trim().toLowerCase().replace(/\.$/, "");

/** The name servers of the account's public hosted zone for exactly this domain, or undefined. */
export async function hostedZoneNameServers(domain: string): Promise<{ zoneId: string; nameServers: string[] } | undefined> {
  return using(new Route53Client({ region: "us-east-1" }), async (route53) => {
    const zones = await route53.send(new ListHostedZonesByNameCommand({ DNSName: domain, MaxItems: 10 }));
    const zone = (zones.HostedZones ?? []).find((z) => normalize(z.Name ?? "") === domain && !z.Config?.PrivateZone);
    if (!zone?.Id) return undefined;
    const found = await route53.send(new GetHostedZoneCommand({ Id: zone.Id }));
    return { zoneId: zone.Id.replace(/^\/hostedzone\//, ""), nameServers: (found.DelegationSet?.NameServers ?? []).map(normalize) };
  });
}

/** The domain's NS records as the public DNS answers them (through DEPLOY_DNS_SERVERS when set). */
export async function publicNameServers(domain: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const resolver = new Resolver({ timeout: 5000, tries: 2 });
  const servers = env[DNS_SERVERS_ENV]
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (servers?.length) resolver.setServers(servers);
  return (await resolver.resolveNs(domain)).map(normalize);
}

export type DelegationVerdict = { ok: true } | { ok: false; problem: string };

/**
 * Every name server the public DNS names must be one of the zone's: a resolver that asks any other
 * server never sees the validation records. (A registrar listing only some of the four is fine.)
 */
export function compareDelegation(domain: string, zoneNameServers: string[], publicNs: string[]): DelegationVerdict {
  const zone = new Set(zoneNameServers.map(normalize));
  const foreign = publicNs.map(normalize).filter((ns) => !zone.has(ns));
  if (publicNs.length && !foreign.length) return { ok: true };
  return {
    ok: false,
    problem:
      `${domain} is delegated to ${publicNs.length ? publicNs.join(", ") : "no name servers"}, but its hosted zone's name servers are ` +
      `${[...zone].join(", ")}. ACM could not see the certificate's validation records: the apply would wait 75 minutes for the ` +
      `certificate and fail.`,
  };
}

/** What to do when the delegation is wrong. */
function remedy(domain: string, zoneNameServers: string[]): string {
  return (
    `set the NS records of ${domain} at its registrar (or in the parent zone) to exactly ${zoneNameServers.join(", ")}; ` +
    `wait until \`dig NS ${domain}\` shows them (up to the old records' TTL, often 48 h at the TLD), then re-run. Nothing was changed.`
  );
}

/** The deploy step (only with a domain). */
export async function checkDnsDelegation(runner: StepRunner, domain: string, account: string, env: NodeJS.ProcessEnv): Promise<void> {
  await runner.act({
    title: `check that the public DNS delegates ${domain} to its hosted zone`,
    action: `AWS Route53 GetHostedZone (${domain}) + DNS NS lookup of ${domain}${env[DNS_SERVERS_ENV] ? ` via ${env[DNS_SERVERS_ENV]}` : ""}`,
    hint: `check that your credentials may call route53:GetHostedZone, and that this machine can resolve DNS`,
    dryRunValue: undefined,
    run: async () => {
      const zone = await hostedZoneNameServers(domain);
      if (!zone) {
        throw new StepProblem(
          `account ${account} has no public Route53 hosted zone named ${domain}`,
          `create a public hosted zone for ${domain} and point the domain's NS records at it, or remove "domain" from the config`,
        );
      }
      let publicNs: string[];
      try {
        publicNs = await publicNameServers(domain, env);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // ENOTFOUND (NXDOMAIN) / ENODATA: the parent zone delegates nothing for this name.
        if (code !== "ENOTFOUND" && code !== "ENODATA") {
          throw new StepProblem(
            `the NS lookup of ${domain} failed: ${describeError(err)}`,
            `check this machine's DNS (or set ${DNS_SERVERS_ENV}=1.1.1.1), then re-run`,
          );
        }
        publicNs = [];
      }
      const verdict = compareDelegation(domain, zone.nameServers, publicNs);
      if (!verdict.ok) throw new StepProblem(verdict.problem, remedy(domain, zone.nameServers));
      return undefined;
    },
    summary: () => "delegation matches the hosted zone",
  });
}
