#!/usr/bin/env bash
# Brings the real clients of Tandem's wire protocols onto this machine, for the interop tests.
#
# Clones each public repository into .interop/<name> (git-ignored) at the commit the tests were
# written against, then prints the variables that point the tests at them. Nothing of these
# repositories is ever committed to Tandem. Where the network does not reach GitHub, point the
# variables at copies you have instead (a checkout or a bare git directory both work):
#   TINYBASE_REPO   tinyplex/tinybase            (TinyBase's prebuilt clients, tags v6.7.5 v8.5.0 v9.5.1)
#   SDS_REPO        rozek/shareable-data-store   (SDS's WebSocket provider and sync engine bundles)
#   JOTBUNKER_REPO  johnbrantly/jotbunker        (JotBunker's shared sync code, phones up to v1.0.7;
#                                                 also needs Debian's node-typescript and node-tweetnacl)
# Then: source .interop/env && swift test --filter Interop
set -euo pipefail
cd "$(dirname "$0")/.."

# name  variable  repository  commit (all tests read files at this commit, or at tags in it)
clients=(
    "tinybase TINYBASE_REPO https://github.com/tinyplex/tinybase.git 3c142ecc7a34263db1ac00b3b25553a922405cc6"
    "shareable-data-store SDS_REPO https://github.com/rozek/shareable-data-store.git 1fd840925006a458c0bf6fd23cd0ed0b55cad010"
    "jotbunker JOTBUNKER_REPO https://github.com/johnbrantly/jotbunker.git f2319f03b2c0656cf264ce874309a4a8fea13a21"
)

mkdir -p .interop
: >.interop/env
failed=0
for entry in "${clients[@]}"; do
    read -r name variable url commit <<<"$entry"
    target=".interop/$name"
    if [ ! -d "$target" ]; then
        echo "cloning $url into $target"
        if ! git clone --quiet --bare "$url" "$target"; then
            echo "  could not clone $url: set $variable to a copy of it instead" >&2
            rm -rf "$target"
            failed=1
            continue
        fi
    fi
    if ! git --git-dir="$target" cat-file -e "$commit^{commit}" 2>/dev/null; then
        git --git-dir="$target" fetch --quiet --tags origin || true
    fi
    if ! git --git-dir="$target" cat-file -e "$commit^{commit}" 2>/dev/null; then
        echo "  $target lacks commit $commit" >&2
        failed=1
        continue
    fi
    echo "export $variable=$PWD/$target" >>.interop/env
done
# JotBunker's test loads its TypeScript with Debian's typescript package and runs the phone's
# transport with tweetnacl.
need=()
for package in node-typescript node-tweetnacl; do
    dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
if ((${#need[@]})); then
    echo "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" || failed=1
fi

echo
echo "Interop clients: source .interop/env, then swift test --filter Interop"
cat .interop/env
exit "$failed"
