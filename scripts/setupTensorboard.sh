#!/usr/bin/env bash
# Installs TensorBoard (no TensorFlow) into the ignored .vscode-test/tensorboard-venv/, for the emulator's real board
# pages (test/emulator/realBoards.ts finds it there). Idempotent: a venv with the right version is kept.
# Outside CI a failure only warns (the emulator then serves its placeholder page and says why); with CI=true it fails.
set -uo pipefail

TENSORBOARD_VERSION=2.21.0

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.vscode-test/tensorboard-venv"
marker="$venv/.installed-$TENSORBOARD_VERSION"
started=$(date +%s)

say() { printf '[setup:tensorboard] %s\n' "$*"; }
give_up() {
  say "$*"
  if [ "${CI:-}" = "true" ]; then
    say "failed (CI=true)"
    exit 1
  fi
  say "the emulator will serve its placeholder board page instead of TensorBoard"
  exit 0
}

if [ -f "$marker" ] && [ -x "$venv/bin/tensorboard" ]; then
  say "tensorboard $TENSORBOARD_VERSION present in ${venv#"$root"/}"
else
  python=${PAI_TENSORBOARD_PYTHON:-$(command -v python3 || true)}
  { [ -n "$python" ] && "$python" --version >/dev/null 2>&1; } ||
    give_up "no working python3 (${python:-none on PATH}); set PAI_TENSORBOARD_PYTHON to a Python 3.9+"
  say "installing tensorboard $TENSORBOARD_VERSION into ${venv#"$root"/} with $("$python" --version 2>&1) (about two minutes)"
  rm -rf "$venv"
  if ! "$python" -m venv "$venv"; then
    give_up "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  # --retries 0: an index this machine cannot reach fails at once instead of after a minute of back-off, and pip goes
  # on with the indexes and wheel folders it can reach (pip config list).
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --retries 0 "tensorboard==$TENSORBOARD_VERSION" ||
    give_up "pip install tensorboard==$TENSORBOARD_VERSION failed"
  "$venv/bin/tensorboard" --version >/dev/null 2>&1 || give_up "the installed tensorboard does not start"
  touch "$marker"
fi

say "tensorboard $("$venv/bin/tensorboard" --version 2>/dev/null), done in $(($(date +%s) - started)) s"
