#!/bin/sh
# Applies the plans plan-stacks.sh wrote and checked (plans/<stack>.bin), and nothing else: each stack is synthesized
# again from the same commit, and Terraform refuses a saved plan whose configuration or state moved since.
#
#   sh apply-stacks.sh <stack> [<stack> ...]
#
# The account stacks among them (account-<id>, what exists once per account) are applied first, so that the Chatbot
# forwarding a region stack gives up is in place before it goes. Stops at the first stack that fails.
#
# Environment: AURORA_AUDIT (default: npx aurora-audit), TERRAFORM (default: terraform), TF_PLUGIN_CACHE_DIR.
set -eu

AURORA_AUDIT=${AURORA_AUDIT:-npx aurora-audit}
TERRAFORM=${TERRAFORM:-terraform}
TF_PLUGIN_CACHE_DIR=${TF_PLUGIN_CACHE_DIR:-$PWD/.terraform-plugin-cache}
export TF_PLUGIN_CACHE_DIR TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

if [ "$#" -eq 0 ]; then
  echo "apply-stacks.sh: no stack to apply" >&2
  exit 0
fi
for stack in "$@"; do
  if [ ! -f plans/"$stack".bin ]; then
    echo "apply-stacks.sh: no checked plan for $stack (plans/$stack.bin); run plan-stacks.sh first" >&2
    exit 1
  fi
done
mkdir -p "$TF_PLUGIN_CACHE_DIR"
$AURORA_AUDIT synth --quiet --stack "$(echo "$@" | tr ' ' ',')"

ordered=$(printf '%s\n' "$@" | grep '^account-' || true; printf '%s\n' "$@" | grep -v '^account-' || true)
for stack in $ordered; do
  dir=cdktf.out/stacks/$stack
  cp plans/"$stack".bin "$dir"/plan.bin
  (cd "$dir" && $TERRAFORM init -input=false -no-color > /dev/null && $TERRAFORM apply -input=false -no-color plan.bin)
  echo "$stack: applied"
done
