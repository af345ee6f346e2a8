#!/bin/sh
# Part of npm run lint: infra/ must be `terraform fmt`-clean. fmt needs no
# provider and no network; machines without terraform skip the check.
set -eu
cd "$(dirname "$0")/.."
if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform-fmt-check: terraform is not installed, skipping terraform fmt -check"
  exit 0
fi
if ! terraform fmt -check -recursive infra; then
  echo "terraform-fmt-check: run terraform fmt -recursive infra" >&2
  exit 1
fi
