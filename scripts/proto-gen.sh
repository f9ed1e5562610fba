#!/usr/bin/env bash
# Lints proto/ and regenerates libs/contracts/src/generated from it (committed; never edit by hand).
# Works offline: buf and the ts-proto plugin come from node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
BUF=./node_modules/.bin/buf
"$BUF" lint
"$BUF" generate
# The descriptors (with comments) that servers expose over reflection, so grpcurl can describe
# and call every method, decode error details and check health. Concatenated FileDescriptorSets
# are one valid FileDescriptorSet (repeated field).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$BUF" build -o "$tmp/projectflo.binpb"
"$BUF" build node_modules/grpc-health-check/proto -o "$tmp/health.binpb"
cat "$tmp/projectflo.binpb" "$tmp/health.binpb" > libs/contracts/src/generated/descriptor-set.binpb
echo "generated $(find libs/contracts/src/generated -type f | wc -l) files into libs/contracts/src/generated"
