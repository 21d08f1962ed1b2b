/** Each prerequisite fails fast with one clear message, before anything is synthesized or changed. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDeploy } from "../../scripts/deploy/deploy.js";
import { DeployFailed } from "../../scripts/deploy/steps.js";
import { useDnsStub } from "./support/dns-stub.js";
import { type Fixture, freshFixture, useAwsStub } from "./support/fixture.js";

const stub = useAwsStub();
const dns = useDnsStub();
let fx: Fixture;
beforeEach(() => {
  fx = freshFixture(stub);
});
afterEach(() => fx.cleanup());

/** Runs the deploy expecting a refusal; returns what it printed. */
async function refused(options = fx.options({ yes: true })): Promise<string> {
  await expect(runDeploy(options)).rejects.toBeInstanceOf(DeployFailed);
  return fx.printed();
}

/** Nothing was synthesized, planned, built or pushed. */
function expectNothingChanged() {
  const changing = fx
    .calls()
    .filter((c) => c.tool === "synth" || c.tool === "npm" || ["init", "plan", "apply", "build", "push"].some((a) => c.args.includes(a)));
  expect(changing).toEqual([]);
}

describe("deploy prerequisites", () => {
  it("refuses bad config with the key, the value and the rule, running nothing", async () => {
    const config = fx.writeConfig({ lambda_architecture: "mips", lambda_memory: 64 });
    const out = await refused(fx.options({ yes: true, env: { APP_CONFIG: config } }));
    expect(out).toContain('lambda_architecture: "mips" must be "arm64" or "x86_64"');
    expect(out).toContain("lambda_memory: 64 must be from 128 to 10240 MB");
    expect(fx.calls()).toEqual([]);
    expect(stub.calls).toEqual([]);
  });

  it("refuses an invalid --stage as a config problem", async () => {
    const out = await refused(fx.options({ yes: true, stage: "Bad_Stage" }));
    expect(out).toMatch(/stage: "Bad_Stage" must start with a letter/);
    expect(fx.calls()).toEqual([]);
  });

  it("stops when terraform is not on PATH, saying how to get it (or tofu)", async () => {
    fx.cleanup();
    fx = freshFixture(stub, { terraform: false });
    const out = await refused();
    expect(out).toMatch(/✘ check terraform >= 1\.10\.0 failed .*: terraform is not on PATH/);
    expect(out).toContain("TERRAFORM_BINARY_NAME=tofu");
    expectNothingChanged();
    expect(stub.calls).toEqual([]);
  });

  it("runs the binary TERRAFORM_BINARY_NAME names", async () => {
    const out = await refused(fx.options({ yes: true, env: { TERRAFORM_BINARY_NAME: "tofu" } }));
    expect(out).toMatch(/tofu is not on PATH/);
  });

  it("requires 1.10 or newer when the state is in S3 (use_lockfile)", async () => {
    // Shared state is the default (docs/team.md).
    const out = await refused(fx.options({ yes: true, env: { FAKE_TF_VERSION: "1.9.8" } }));
    expect(out).toMatch(/terraform 1\.9\.8 is older than 1\.10\.0 \(S3 state locking with use_lockfile\)/);
    expectNothingChanged();
  });

  it("accepts an older terraform with local state", async () => {
    stub.world.credentialsValid = false; // stop at the next check: only the version check matters here
    const local = fx.writeConfig({ state_backend: "local" });
    const out = await refused(fx.options({ yes: true, env: { APP_CONFIG: local, FAKE_TF_VERSION: "1.9.8" } }));
    expect(out).toMatch(/✔ check terraform >= 1\.5\.0 .*1\.9\.8/);
  });

  it("stops when neither docker nor podman is on PATH", async () => {
    fx.cleanup();
    fx = freshFixture(stub, { docker: false });
    const out = await refused();
    expect(out).toContain("Neither docker nor podman is on PATH");
    expectNothingChanged();
  });

  it("stops when docker has no buildx", async () => {
    fx.flag("no-buildx");
    const out = await refused();
    expect(out).toContain("docker buildx is not available (needed for --platform and --provenance=false)");
    expectNothingChanged();
  });

  it("stops when the docker engine does not answer", async () => {
    fx.flag("engine-down");
    const out = await refused();
    expect(out).toMatch(/the docker engine does not answer: Cannot connect to the Docker daemon/);
    expectNothingChanged();
    expect(stub.calls).toEqual([]);
  });

  it("refuses a DEPLOY_CONTAINER_TOOL that is not on PATH", async () => {
    const out = await refused(fx.options({ yes: true, env: { DEPLOY_CONTAINER_TOOL: "podman" } }));
    expect(out).toContain("DEPLOY_CONTAINER_TOOL=podman, but podman is not on PATH.");
  });

  it("stops when the AWS credentials are rejected, saying how to configure them", async () => {
    stub.world.credentialsValid = false;
    const out = await refused();
    expect(out).toMatch(/no usable AWS credentials for region us-east-1: InvalidClientTokenId/);
    expect(out).toContain("export AWS_PROFILE=<profile>");
    expectNothingChanged();
  });

  it("with a domain, stops when the account has no public hosted zone for it", async () => {
    stub.world.hostedZones = [{ name: "example.com", private: true }];
    const config = fx.writeConfig({ domain: "example.com" });
    const out = await refused(fx.options({ yes: true, env: { APP_CONFIG: config } }));
    expect(out).toContain("account 123456789012 has no public Route53 hosted zone named example.com");
    expectNothingChanged();
  });

  it("with a domain whose public zone exists (and is delegated to), goes on to synthesize", async () => {
    const nameServers = ["ns-1.awsdns-01.org", "ns-2.awsdns-02.net"];
    stub.world.hostedZones = [{ name: "example.com", private: false, nameServers }];
    dns.stub.nameServers = { "example.com": nameServers };
    fx.flag("registry.plan-error", "stop here");
    const config = fx.writeConfig({ domain: "example.com" });
    const out = await refused(fx.options({ yes: true, env: { APP_CONFIG: config, DEPLOY_DNS_SERVERS: dns.server() } }));
    expect(out).toMatch(/✔ check the public hosted zone example\.com/);
    expect(stub.operations()).toContain("route53:GET /2013-04-01/hostedzonesbyname?dnsname=example.com&maxitems=10");
    expect(fx.calls().some((c) => c.tool === "synth")).toBe(true);
  });
});
