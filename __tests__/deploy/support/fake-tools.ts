/**
 * Fake `terraform`, `docker`, `podman` and `npm` executables (sh scripts) for the deploy tests:
 * each records its argv, cwd and stdin in a log, and answers like the real tool would. Their
 * behaviour is steered by files in a state directory (e.g. `<stack>.plan` holds plan's exit code,
 * `<stack>.show.json` what `show -json tfplan` prints, `push-media-type` the manifest type a push
 * stores). A push appends `<tag>\t<media type>` to `ecr-images`, where the AWS stub finds it; a
 * build appends the attestation switch it saw to `build-env`.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One recorded invocation. */
export interface Call {
  tool: string;
  cwd: string;
  args: string[];
  stdin?: string;
}

// The fakes read and create their state files with shell builtins (read, : >), not cat/touch/basename:
// every deploy test runs thousands of them, and each external program is one more process.
// Every fake starts by logging: tool, cwd and each argument, tab-separated, on one line.
const LOG = `log() { printf '%s\\t%s' "$TOOL" "$PWD" >> "$FAKE_STATE/calls.log"; for a in "$@"; do printf '\\t%s' "$a" >> "$FAKE_STATE/calls.log"; done; }`;

/**
 * A fake fails once when "<tool> <args>" matches the glob in <state>/fail-once (e.g. "docker push*"),
 * then runs normally: <state>/fail-once.done is the counter. For "each step failing once, then a re-run".
 */
export const FAIL_ONCE = `if [ -f "$FAKE_STATE/fail-once" ] && [ ! -f "$FAKE_STATE/fail-once.done" ]; then
  read -r pattern < "$FAKE_STATE/fail-once"
  case "$TOOL $*" in $pattern) : > "$FAKE_STATE/fail-once.done"; echo "fake $TOOL: failing once" >&2; exit 1;; esac
fi`;

const TERRAFORM = `#!/bin/sh
TOOL=terraform
${LOG}
log "$@"; echo >> "$FAKE_STATE/calls.log"
${FAIL_ONCE}
S="$FAKE_STATE"
stack=""
# cat without a process: prints a state file (plan JSON, outputs) line by line
put() { while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done < "$1"; }
case "$1" in -chdir=*) stack="\${1#-chdir=}"; stack="\${stack%/}"; stack="\${stack##*/}"; shift;; esac
cmd="$1"
# A remote state lock (as S3's use_lockfile leaves one): plan/apply/destroy refuse while <stack>.lock holds an id.
lock_info() { printf 'Lock Info:\n  ID:        %s\n  Path:      state-bucket/%s.tfstate\n  Operation: OperationTypeApply\n  Who:       dev@laptop\n  Version:   1.11.4\n' "$(cat "$S/$stack.lock")" "$stack"; }
case "$cmd" in plan|apply|destroy)
  if [ -f "$S/$stack.lock" ]; then { echo "Error: Error acquiring the state lock"; echo; echo "Error message: operation error S3: PutObject, StatusCode: 412, PreconditionFailed"; lock_info; } >&2; exit 1; fi;;
esac
# <stack>.apply-slow: the apply takes ~20 s; on SIGINT/SIGTERM (each logged in <state>/signals) it
# says so, finishes for a moment, and stops; with <stack>.lock-on-interrupt it cannot release its lock.
slow_apply() {
  stopping=""
  on_signal() {
    echo "$1" >> "$S/signals"
    [ -n "$stopping" ] && return
    stopping=1
    echo "Interrupt received."; echo "Please wait for Terraform to exit or data loss may occur."; echo "Gracefully shutting down..."
  }
  trap 'on_signal SIGINT' INT
  trap 'on_signal SIGTERM' TERM
  echo "aws_thing.example: Creating..."
  : > "$S/$stack.apply-started"
  i=0
  while [ $i -lt 200 ]; do
    sleep 0.1; i=$((i + 1))
    if [ -n "$stopping" ]; then
      sleep 0.5
      echo "aws_thing.example: Creation complete after 3s [id=example]"
      echo "Stopping operation..."
      if [ -f "$S/$stack.lock-on-interrupt" ]; then
        cp "$S/$stack.lock-on-interrupt" "$S/$stack.lock"
        { echo "Error: Error releasing the state lock"; echo; echo "Error message: operation error S3: DeleteObject, context canceled"; lock_info; } >&2
      fi
      echo "Error: execution halted" >&2
      exit 1
    fi
  done
}
case "$cmd" in
  force-unlock)
    for a in "$@"; do id="$a"; done
    if [ -f "$S/$stack.lock" ] && [ "$id" = "$(cat "$S/$stack.lock")" ]; then rm -f "$S/$stack.lock"; echo "Terraform state has been successfully unlocked!"; else echo "Failed to unlock state: no lock with ID $id" >&2; exit 1; fi;;
  version) echo "{\\"terraform_version\\":\\"\${FAKE_TF_VERSION:-1.11.4}\\",\\"platform\\":\\"linux_amd64\\"}";;
  init) echo "Terraform has been successfully initialized!";;
  plan)
    if [ -f "$S/$stack.plan-error" ]; then echo "Error: $(cat "$S/$stack.plan-error")" >&2; exit 1; fi
    code=2; [ -f "$S/$stack.plan" ] && read -r code < "$S/$stack.plan"
    if [ "$code" = 2 ]; then echo "Terraform will perform the following actions:"; echo "  + aws_thing.example"; echo "Plan: 2 to add, 0 to change, 0 to destroy."; else echo "No changes. Your infrastructure matches the configuration."; fi
    exit "$code";;
  apply)
    if [ -f "$S/$stack.apply-error" ]; then cat "$S/$stack.apply-error" >&2; exit 1; fi
    if [ -f "$S/$stack.apply-slow" ]; then slow_apply; fi
    : > "$S/$stack.applied"; echo 0 > "$S/$stack.plan"; echo "Apply complete! Resources: 2 added, 0 changed, 0 destroyed.";;
  show)
    if [ -f "$S/$stack.show.json" ]; then put "$S/$stack.show.json"; else echo '{"format_version":"1.2","resource_changes":[]}'; fi;;
  output) if [ -f "$S/$stack.applied" ] && [ -f "$S/$stack.outputs.json" ]; then put "$S/$stack.outputs.json"; else echo "{}"; fi;;
  state)
    # state push <file>: the pushed file becomes the stack's state (kept as <stack>.pushed to compare).
    if [ "$2" = push ]; then for a in "$@"; do f="$a"; done; cp "$f" "$S/$stack.pushed" && : > "$S/$stack.applied"; exit $?; fi
    if [ -f "$S/$stack.state-error" ]; then echo "Error: $(cat "$S/$stack.state-error")" >&2; exit 1; fi
    if [ -f "$S/$stack.applied" ]; then echo "aws_thing.example"; echo "aws_thing.other"; else echo "No state file was found!" >&2; exit 1; fi;;
  destroy)
    if [ -f "$S/$stack.destroy-error" ]; then echo "Error: $(cat "$S/$stack.destroy-error")" >&2; exit 1; fi
    rm -f "$S/$stack.applied"; echo "Destroy complete! Resources: 2 destroyed.";;
  *) echo "fake terraform: unknown command $cmd" >&2; exit 1;;
esac
`;

const CONTAINER = (tool: string) => `#!/bin/sh
TOOL=${tool}
${LOG}
log "$@"
S="$FAKE_STATE"
if [ "$1" = login ]; then printf '\\tstdin:%s' "$(cat)" >> "$S/calls.log"; fi
echo >> "$S/calls.log"
${FAIL_ONCE}
case "$1" in
  info) if [ -f "$S/engine-down" ]; then echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1; fi; echo "28.2.2";;
  buildx) if [ "$2" = build ]; then echo "BUILDX_NO_DEFAULT_ATTESTATIONS=\${BUILDX_NO_DEFAULT_ATTESTATIONS-<unset>}" >> "$S/build-env"; echo "Successfully built"; exit 0; fi
    if [ -f "$S/no-buildx" ]; then echo "docker: unknown command: docker buildx" >&2; exit 1; fi; echo "github.com/docker/buildx v0.24.0";;
  build) echo "BUILDX_NO_DEFAULT_ATTESTATIONS=\${BUILDX_NO_DEFAULT_ATTESTATIONS-<unset>}" >> "$S/build-env"; echo "Successfully built";;
  login) echo "Login Succeeded";;
  push)
    if [ -f "$S/push-fails" ]; then echo "denied: requested access to the resource is denied" >&2; exit 1; fi
    for a in "$@"; do ref="$a"; done
    media=application/vnd.docker.distribution.manifest.v2+json; [ -f "$S/push-media-type" ] && media=$(cat "$S/push-media-type")
    printf '%s\\t%s\\n' "\${ref##*:}" "$media" >> "$S/ecr-images"; echo "pushed: digest: sha256:0000 size: 1234";;
  *) echo "fake ${tool}: unknown command $1" >&2; exit 1;;
esac
`;

const NPM = `#!/bin/sh
TOOL=npm
${LOG}
log "$@"; echo >> "$FAKE_STATE/calls.log"
${FAIL_ONCE}
if [ -f "$FAKE_STATE/npm-fails" ]; then echo "build failed" >&2; exit 1; fi
echo "built"
`;

/** Writes the fakes into `binDir`; `tools` picks which container tools exist. */
export function writeFakeTools(binDir: string, tools: { docker?: boolean; podman?: boolean; terraform?: boolean } = {}): void {
  const scripts: Record<string, string> = { npm: NPM };
  if (tools.terraform !== false) scripts.terraform = TERRAFORM;
  if (tools.docker !== false) scripts.docker = CONTAINER("docker");
  if (tools.podman) scripts.podman = CONTAINER("podman");
  for (const [name, text] of Object.entries(scripts)) {
    writeFileSync(join(binDir, name), text);
    chmodSync(join(binDir, name), 0o755);
  }
}

/** The calls recorded so far, in order. */
export function readCalls(stateDir: string): Call[] {
  const file = join(stateDir, "calls.log");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [tool, cwd, ...rest] = line.split("\t");
      const stdinField = rest.findIndex((a) => a.startsWith("stdin:"));
      const stdin = stdinField >= 0 ? rest[stdinField]!.slice("stdin:".length) : undefined;
      return { tool: tool!, cwd: cwd!, args: stdinField >= 0 ? rest.slice(0, stdinField) : rest, stdin };
    });
}

/** A call as one string, e.g. "terraform -chdir=cdktf.out/stacks/app plan ...", for order assertions. */
export const callLine = (c: Call) => [c.tool, ...c.args].join(" ");
