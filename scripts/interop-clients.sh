#!/usr/bin/env bash
# Fetches what the interop tests that run other projects' own client code need, and prints the variables that
# point the tests at it. Nothing fetched here is committed to this repository.
#
#   scripts/interop-clients.sh [directory]     # default: ~/.cache/tandem-interop
#   eval "$(scripts/interop-clients.sh)"       # then: swift test --filter Interop
set -euo pipefail
directory="${1:-$HOME/.cache/tandem-interop}"
mkdir -p "$directory"

# JotBunker (the LAN phone): a bare clone; the test loads its TypeScript with the typescript package and runs the
# phone's transport with tweetnacl, both Debian packages.
jotbunker="$directory/jotbunker.git"
if [ -d "$jotbunker" ]; then
    git --git-dir="$jotbunker" fetch --quiet origin '+refs/heads/*:refs/heads/*' >&2
else
    git clone --quiet --bare https://github.com/johnbrantly/jotbunker "$jotbunker" >&2
fi
need=()
for package in node-typescript node-tweetnacl; do
    dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
if ((${#need[@]})); then
    echo "installing ${need[*]}" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
echo "export JOTBUNKER_REPO=$jotbunker"
