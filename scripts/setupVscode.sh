#!/usr/bin/env bash
# Installs the VS Code that the integration and e2e tests run in (and openssl, with which the emulator makes its test
# certificate), on a machine without internet access beyond the
# npm registry and Debian's archive: Debian's build tools, ripgrep and Chromium, then code-server (the real VS Code
# server) in the ignored .vscode-test/code-server/ with its own package.json, outside the project's dependency tree.
# Idempotent: what is present is checked and skipped, so a second run takes seconds.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 pulls @vscode/ripgrep 1.15.11, whose postinstall downloads this ripgrep build from GitHub unless
# it finds it in its cache; Debian's ripgrep is the same release (13.0.0), so it is packed into that cache instead.
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_RELEASE=v13.0.0-10
DEBIAN_PACKAGES=(build-essential python3 pkg-config libkrb5-dev ripgrep chromium openssl)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
install_dir="$root/.vscode-test/code-server"
marker="$install_dir/.installed-$CODE_SERVER_VERSION"
started=$(date +%s)
did=()

say() { printf '[setup:vscode] %s\n' "$*"; }
elapsed() { echo "$(($(date +%s) - started)) s"; }

# --- Debian packages -----------------------------------------------------------------------------------------------
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  did+=("apt-get install ${missing[*]}")
else
  say "Debian packages present: ${DEBIAN_PACKAGES[*]}"
fi

# --- code-server ---------------------------------------------------------------------------------------------------
entry="$install_dir/node_modules/code-server/out/node/entry.js"
if [ -f "$marker" ] && [ -f "$entry" ]; then
  say "code-server $CODE_SERVER_VERSION present in ${install_dir#"$root"/}"
else
  say "installing code-server $CODE_SERVER_VERSION into ${install_dir#"$root"/} (about a minute)"
  mkdir -p "$install_dir"
  rm -f "$install_dir"/.installed-*
  cat >"$install_dir/package.json" <<JSON
{
  "name": "pai-tensorboard-test-host",
  "private": true,
  "description": "The VS Code the tests run in. Installed by scripts/setupVscode.sh, never by the project's npm install.",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" }
}
JSON
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) say "no ripgrep cache entry known for $(uname -m); the ripgrep download may fail"; rg_target=unknown ;;
  esac
  install_tmp="$install_dir/.tmp"
  cache="$install_tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
  mkdir -p "$cache"
  tar -czf "$cache/ripgrep-$RIPGREP_RELEASE-$rg_target.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  # root needs unsafe_perm for code-server's postinstall; node-pty's postinstall runs `npx node-gyp`, which needs yes.
  (
    cd "$install_dir"
    TMPDIR="$install_tmp" npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false \
      npm_config_audit=false npm_config_update_notifier=false \
      npm install --save-exact --no-package-lock --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  rm -rf "$install_tmp"
  version=$(node -p "require('$install_dir/node_modules/code-server/package.json').version")
  [ "$version" = "$CODE_SERVER_VERSION" ] || { say "installed code-server is $version, wanted $CODE_SERVER_VERSION"; exit 1; }
  touch "$marker"
  did+=("npm install code-server@$CODE_SERVER_VERSION")
fi

# --- the browser driver --------------------------------------------------------------------------------------------
# playwright-core is a pinned devDependency of the project (the e2e helpers are typed against it); it never downloads a
# browser: the tests launch Debian's /usr/bin/chromium through it.
if ! (cd "$root" && node -e "require.resolve('playwright-core')" 2>/dev/null); then
  say "playwright-core is missing from node_modules: run npm ci (or npm install) in $root first"
  exit 1
fi
playwright_version=$(cd "$root" && node -p "require('playwright-core/package.json').version")

say "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
# Read from the manifests: `entry.js --version` would write a config file into $HOME.
say "code-server: $(node -p "const d='$install_dir/node_modules/code-server'; require(d + '/package.json').version + ' (VS Code ' + require(d + '/lib/vscode/package.json').version + ')'")"
say "playwright-core: $playwright_version"
if [ ${#did[@]} -gt 0 ]; then
  say "did: $(IFS=';'; echo "${did[*]}" | sed 's/;/; /g')"
else
  say "did: nothing, everything was present"
fi
say "done in $(elapsed)"
