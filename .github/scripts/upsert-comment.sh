#!/usr/bin/env bash
# upsert-comment.sh <pull request number> <markdown file>: keeps ONE comment per pull request for its
# preview stage: updates the comment carrying the <!-- preview-stage --> marker, or creates it.
# Runs on GitHub Actions with GH_TOKEN (the job's token, pull-requests: write) and the gh CLI the
# runners carry (https://cli.github.com/manual/gh_api).
set -euo pipefail
pr="$1"
body_file="$2"
marker="<!-- preview-stage -->"
id=$(gh api --paginate "repos/${GITHUB_REPOSITORY}/issues/${pr}/comments" \
  --jq ".[] | select(.user.login == \"github-actions[bot]\" and (.body | startswith(\"${marker}\"))) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${id}" -F "body=@${body_file}" >/dev/null
  echo "updated comment ${id}"
else
  gh api --method POST "repos/${GITHUB_REPOSITORY}/issues/${pr}/comments" -F "body=@${body_file}" >/dev/null
  echo "created a comment on #${pr}"
fi
