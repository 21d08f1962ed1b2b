/** AWS SDK errors the day-two commands turn into one clear line (exit 1) instead of a stack trace. */
import { CommandError } from "../lib/cli.js";

const CREDENTIAL_HINT =
  "configure credentials: export AWS_PROFILE=<profile> (after aws sso login / aws configure), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

/** A CommandError saying what went wrong calling AWS for `what`, or the error itself when it is not one of these. */
export function explainAwsError(err: unknown, what: string): unknown {
  if (!(err instanceof Error)) return err;
  const name = err.name;
  if (name === "CredentialsProviderError" || /Could not load credentials|Unable to locate credentials/i.test(err.message)) {
    return new CommandError(`no AWS credentials to ${what}: ${CREDENTIAL_HINT}`);
  }
  if (
    /^(UnrecognizedClientException|InvalidClientTokenId|InvalidSignatureException|ExpiredToken(Exception)?|IncompleteSignature(Exception)?)$/.test(
      name,
    )
  ) {
    return new CommandError(`AWS refused the credentials trying to ${what} (${name}: ${err.message}); ${CREDENTIAL_HINT}`);
  }
  if (/^(AccessDenied(Exception)?|AccessDeniedException|UnauthorizedOperation)$/.test(name)) {
    return new CommandError(`not allowed to ${what}: ${err.message}`);
  }
  const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET)$/.test(code)) {
    return new CommandError(`could not reach AWS to ${what} (${code}): check the network`);
  }
  return err;
}
