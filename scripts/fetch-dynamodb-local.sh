#!/usr/bin/env bash
# Puts the official DynamoDB Local (DynamoDBLocal.jar + native libs) into .cache/dynamodb-local, taken from
# the npm tarball of amplify-dynamodb-simulator (the jar ships inside it; the package itself is not installed).
set -euo pipefail
cd "$(dirname "$0")/.."
target=.cache/dynamodb-local
if [ -f "$target/DynamoDBLocal.jar" ]; then exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent amplify-dynamodb-simulator@2.9.30 >/dev/null)
tar -xzf "$work"/amplify-dynamodb-simulator-2.9.30.tgz -C "$work" package/emulator
mkdir -p "$target"
cp -r "$work"/package/emulator/. "$target"/
echo "DynamoDB Local in $target"
