#!/bin/sh
# Plans some stacks of aurora-audit.yaml, one after another (or PLAN_PARALLELISM at a time), each against its own
# remote state, and checks each plan with `aurora-audit check-plan`. A pipeline job runs it for its shard of the stacks
# `aurora-audit changed --shards N --json` names; the example pipelines (github-actions.yml, gitlab-ci.yml) do.
#
#   sh plan-stacks.sh <stack> [<stack> ...]
#
# Writes plans/<stack>.bin (the plan, for apply-stacks.sh) and plans/<stack>.json (what check-plan read), outside
# cdktf.out, so that a CI system restoring them as artifacts never meets the synthesized output. Exits non-zero when
# any stack fails to plan, or check-plan refuses its plan (exit 3: it would lose or weaken what aurora-audit keeps);
# every stack is planned either way, and each one's outcome is printed.
#
# Environment: AURORA_AUDIT (default: npx aurora-audit), TERRAFORM (default: terraform), PLAN_PARALLELISM (default
# 1), TF_PLUGIN_CACHE_DIR (default: .terraform-plugin-cache here, shared by every stack of the job), and
# CHECK_PLAN_ALLOW (addresses check-plan may accept, space-separated: a reviewed exception).
set -eu

AURORA_AUDIT=${AURORA_AUDIT:-npx aurora-audit}
TERRAFORM=${TERRAFORM:-terraform}
PLAN_PARALLELISM=${PLAN_PARALLELISM:-1}
TF_PLUGIN_CACHE_DIR=${TF_PLUGIN_CACHE_DIR:-$PWD/.terraform-plugin-cache}
export AURORA_AUDIT TERRAFORM TF_PLUGIN_CACHE_DIR
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

plan_one() {
  stack=$1
  dir=cdktf.out/stacks/$stack
  allow=""
  for address in ${CHECK_PLAN_ALLOW:-}; do allow="$allow --allow $address"; done
  if ! (cd "$dir" && $TERRAFORM init -input=false -no-color > ../../../plans/"$stack".init.log 2>&1); then
    echo "$stack: terraform init failed (plans/$stack.init.log)"
    return 1
  fi
  if ! (cd "$dir" && $TERRAFORM plan -input=false -no-color -lock-timeout=5m -out=plan.bin > ../../../plans/"$stack".plan.log 2>&1); then
    echo "$stack: terraform plan failed (plans/$stack.plan.log)"
    return 1
  fi
  (cd "$dir" && $TERRAFORM show -json plan.bin) > plans/"$stack".json
  cp "$dir"/plan.bin plans/"$stack".bin
  # shellcheck disable=SC2086 # each --allow is its own word
  if $AURORA_AUDIT check-plan plans/"$stack".json $allow > plans/"$stack".check.log 2>&1; then
    echo "$stack: planned and checked"
  else
    echo "$stack: check-plan refused the plan (plans/$stack.check.log):"
    sed 's/^/  /' plans/"$stack".check.log
    return 1
  fi
}

# One stack, when xargs runs several at once (below).
if [ "${1:-}" = "--one" ]; then
  plan_one "$2"
  exit
fi

if [ "$#" -eq 0 ]; then
  echo "plan-stacks.sh: no stack to plan" >&2
  exit 0
fi
case $PLAN_PARALLELISM in
  '' | *[!0-9]* | 0) echo "plan-stacks.sh: PLAN_PARALLELISM=$PLAN_PARALLELISM is not a whole number of plans at once; give 1 or more" >&2; exit 2 ;;
esac
mkdir -p "$TF_PLUGIN_CACHE_DIR" plans

# Only these stacks, all at once: synth reads the config once.
$AURORA_AUDIT synth --quiet --stack "$(echo "$@" | tr ' ' ',')"

failed=0
if [ "$PLAN_PARALLELISM" -le 1 ]; then
  for stack in "$@"; do plan_one "$stack" || failed=$((failed + 1)); done
else
  # At most PLAN_PARALLELISM plans at once, each in a shell of its own; xargs exits non-zero if any failed.
  printf '%s\n' "$@" | xargs -n 1 -P "$PLAN_PARALLELISM" sh "$0" --one || failed=1
fi
if [ "$failed" -ne 0 ]; then
  echo "plan-stacks.sh: not every stack is safe to apply; see above" >&2
  exit 1
fi
echo "plan-stacks.sh: $# stack(s) planned and checked"
