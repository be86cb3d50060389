#!/usr/bin/env bash
# Installs what the registry and end-to-end suites need, and only what is missing (a second run takes
# well under a second):
#   * Debian packages: docker-registry and skopeo (real registry + image copies), chromium (UI tests),
#     apache2-utils (htpasswd) and openssl (TLS sandbox), code-server's native build dependencies, ripgrep
#   * code-server 4.100.3 (VS Code 1.100.3; the newest release that runs on Node 20) from npm into
#     $REGISTRY_EXPLORER_TOOLS (default ~/.cache/registry-explorer/tools)
# playwright-core and vsce come from the project's devDependencies.
# Works as root on a fresh Debian machine with Node 20; needs only the Debian mirror and the npm registry.
set -euo pipefail

CACHE=${REGISTRY_EXPLORER_CACHE:-$HOME/.cache/registry-explorer}
TOOLS=${REGISTRY_EXPLORER_TOOLS:-$CACHE/tools}
CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep as pinned by code-server 4.100.3, and the asset its postinstall downloads from GitHub.
RG_PKG_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

log() { printf '[setup-test-tools] %s\n' "$*"; }

# --- 1. Debian packages --------------------------------------------------------------------------
PKGS="docker-registry skopeo podman chromium apache2-utils openssl libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev pkg-config ripgrep"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  log "apt-get install$missing"
  # A fresh image has no package lists; a stale one may point at removed versions. Wait for a
  # concurrent apt/dpkg (e.g. unattended upgrades) instead of failing on its lock.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
fi
# The Debian registry package starts a system service on :5000; the tests start their own instances.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  systemctl stop docker-registry || true
fi

node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' \
  || { echo "Node >= 20 is required (code-server $CODE_SERVER_VERSION runs on the Node on PATH)" >&2; exit 1; }

# --- 2. code-server ------------------------------------------------------------------------------
cs_ok() {
  [ -x "$TOOLS/node_modules/.bin/code-server" ] &&
  [ -d "$TOOLS/node_modules/code-server/lib/vscode/node_modules" ] &&
  [ -f "$TOOLS/.installed-$CODE_SERVER_VERSION" ]
}
if cs_ok; then
  exit 0
fi

log "installing code-server $CODE_SERVER_VERSION into $TOOLS (about 2 minutes)"
mkdir -p "$TOOLS" "$CACHE/tmp"
# @vscode/ripgrep's postinstall downloads rg from GitHub into $TMPDIR/vscode-ripgrep-cache-<version>;
# seeding that cache with Debian's rg keeps the install offline.
export TMPDIR="$CACHE/tmp"
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
if [ ! -s "$RG_CACHE/$RG_ASSET" ]; then
  mkdir -p "$RG_CACHE/x"
  cp "$(command -v rg)" "$RG_CACHE/x/rg"
  tar czf "$RG_CACHE/$RG_ASSET" -C "$RG_CACHE/x" rg
fi
cat > "$TOOLS/package.json" <<EOF
{
  "name": "registry-explorer-test-tools",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" }
}
EOF
# --unsafe-perm: code-server's postinstall (which builds lib/vscode) refuses to run as root without it
# (npm 11 warns that the option is unknown but still exports it to the script).
# npm_config_yes=true: node-pty's postinstall runs `npx node-gyp`, which must not prompt.
# Native modules (argon2, node-pty, …) whose prebuilt binaries come from GitHub are built from source; node-gyp then
# needs Node's headers. Use the ones installed with Node (/usr/include/node) instead of downloading them from
# nodejs.org, so a new HOME without a node-gyp cache or an ~/.npmrc works with only the npm registry reachable.
NODE_PREFIX=$(node -p 'require("path").resolve(process.execPath, "..", "..")')
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$NODE_PREFIX/include/node/common.gypi" ]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi
(
  cd "$TOOLS"
  export npm_config_yes=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  npm install --no-audit --no-fund --unsafe-perm --loglevel=error
)
[ -d "$TOOLS/node_modules/code-server/lib/vscode/node_modules" ] \
  || { echo "code-server installation incomplete (its postinstall did not build lib/vscode)" >&2; exit 1; }
# code-server gets its own config and state under the tools cache, so ~/.config/code-server is neither read nor
# written (on the first call in a new home it would write a default config there and print a notice about it).
# The version is matched by pattern: tools may print notices before or after their version line.
CS_HOME="$TOOLS/code-server-home"
mkdir -p "$CS_HOME/config" "$CS_HOME/data" "$CS_HOME/cache" "$CS_HOME/user-data" "$CS_HOME/extensions"
[ -f "$CS_HOME/config.yaml" ] || printf 'auth: none\n' > "$CS_HOME/config.yaml"
output=$(XDG_CONFIG_HOME="$CS_HOME/config" XDG_DATA_HOME="$CS_HOME/data" XDG_CACHE_HOME="$CS_HOME/cache" \
  "$TOOLS/node_modules/.bin/code-server" --config "$CS_HOME/config.yaml" --user-data-dir "$CS_HOME/user-data" \
  --extensions-dir "$CS_HOME/extensions" --version 2>&1 || true)
version=$(printf '%s\n' "$output" | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+ [0-9a-f]{7,40}' | head -n1 || true)
case "$version" in
  "$CODE_SERVER_VERSION "*) ;;
  *) echo "code-server --version did not report $CODE_SERVER_VERSION; its output was:" >&2; printf '%s\n' "$output" >&2; exit 1 ;;
esac
touch "$TOOLS/.installed-$CODE_SERVER_VERSION"
log "code-server $CODE_SERVER_VERSION ready"
