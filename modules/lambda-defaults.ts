/**
 * The function's defaults, defined once: the LambdaFunction construct's `@default`s and the config
 * keys lambda_memory / lambda_timeout / lambda_architecture both take them from here. (Kept apart
 * from lambda.ts so the config can read them without loading the provider's classes.)
 */

/** Instruction sets a function can run on; arm64 costs 20% less per GB-second than x86_64. */
export const LAMBDA_ARCHITECTURES = ["arm64", "x86_64"] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

export const LAMBDA_DEFAULTS = {
  architecture: "arm64",
  /** MB. */
  memorySize: 256,
  /** Seconds. */
  timeout: 5,
} as const satisfies { architecture: LambdaArchitecture; memorySize: number; timeout: number };
