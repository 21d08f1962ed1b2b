import { describe, expect, it } from "vitest";
import { DEFAULT_TRAFFIC, parseCostArgs, UsageError } from "../../scripts/cost/traffic.js";

describe("npm run cost flags", () => {
  it("defaults to the worked bill's traffic profile", () => {
    expect(parseCostArgs([]).traffic).toEqual({
      requests: 1e6,
      durationMs: 100,
      itemKb: 1,
      pageKb: 2000,
      callsPerVisit: 10,
      requestsPerVisit: 20,
      cacheHit: 0.95,
      logKb: 0.5,
      viewers: { na: 1 },
      mau: 1000,
    });
    expect(parseCostArgs([]).json).toBe(false);
  });

  it("reads every traffic flag, with k/M/B suffixes and both --flag=v and --flag v forms", () => {
    const o = parseCostArgs([
      "--requests=10M",
      "--duration-ms",
      "250",
      "--item-kb=3.5",
      "--page-kb=1500",
      "--calls-per-visit=4",
      "--requests-per-visit=12",
      "--cache-hit=0.8",
      "--log-kb=1",
      "--viewers=na=0.6,eu=0.4",
      "--mau=25k",
      "--json",
    ]);
    expect(o.traffic).toEqual({
      ...DEFAULT_TRAFFIC,
      requests: 10e6,
      durationMs: 250,
      itemKb: 3.5,
      pageKb: 1500,
      callsPerVisit: 4,
      requestsPerVisit: 12,
      cacheHit: 0.8,
      logKb: 1,
      viewers: { na: 0.6, eu: 0.4 },
      mau: 25_000,
    });
    expect(o.json).toBe(true);
    expect(parseCostArgs(["--requests", "2.5k"]).traffic.requests).toBe(2500);
    expect(parseCostArgs(["--requests", "1e6"]).traffic.requests).toBe(1e6);
    expect(parseCostArgs(["--requests", "0"]).traffic.requests).toBe(0);
  });

  it.each([
    [["--requests", "-5"], /--requests: "-5" is not a non-negative number/],
    [["--mau", "-1"], /--mau: "-1" is not a non-negative number/],
    [["--requests=-1"], /--requests: "-1" is not a non-negative number/],
    [["--duration-ms", "abc"], /--duration-ms: "abc" is not a non-negative number/],
    [["--duration-ms", "NaN"], /--duration-ms: "NaN"/],
    [["--item-kb", "0"], /--item-kb: must be greater than 0/],
    [["--item-kb", "500"], /--item-kb: must be at most 400/],
    [["--cache-hit", "95"], /--cache-hit: must be at most 1.*0\.95/],
    [["--calls-per-visit", "0"], /--calls-per-visit: must be greater than 0/],
    [["--viewers", "na=0.5"], /--viewers: shares must add up to 1/],
    [["--viewers", "mars=1"], /--viewers: "mars=1" must be <region>=<share>/],
    [["--request", "5"], /Unknown option '--request'/],
    [["--json=yes"], /--json/],
    [["extra"], /Unexpected argument 'extra'/],
    [["--requests"], /--requests/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseCostArgs(argv)).toThrow(UsageError);
    expect(() => parseCostArgs(argv)).toThrow(message);
  });
});
