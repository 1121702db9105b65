#!/usr/bin/env bash
# Makes the real components the integration tests run against available:
# restic 0.14 (Debian bookworm), restic 0.18 (Debian trixie .deb unpacked into .tools/),
# rclone (REST server), nginx (TLS + Basic Auth front), openssl, htpasswd.
# Idempotent and fast when everything is present. Run by `npm run pretest` and `.ci/run`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
restic018="$tools/restic-0.18/usr/bin/restic"
mkdir -p "$tools"

need_apt=()
command -v restic >/dev/null 2>&1 || need_apt+=(restic)
command -v rclone >/dev/null 2>&1 || need_apt+=(rclone)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v htpasswd >/dev/null 2>&1 || need_apt+=(apache2-utils)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v bzip2 >/dev/null 2>&1 || need_apt+=(bzip2)

explain() {
  cat >&2 <<MSG
cofre: cannot install the test tools automatically: $1
Install them by hand on Debian/Ubuntu (as root):
  apt-get update && apt-get install -y restic rclone nginx-light openssl apache2-utils chromium
and for restic 0.18 put a restic >= 0.18 binary at:
  $restic018
MSG
  exit 1
}

apt_ok() {
  command -v apt-get >/dev/null 2>&1 || explain "this is not a Debian-based system (no apt-get)"
  [ "$(id -u)" = 0 ] || explain "apt-get needs root and this script runs as $(id -un)"
}

if [ ${#need_apt[@]} -gt 0 ]; then
  apt_ok
  echo "cofre: installing ${need_apt[*]} from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$restic018" ]; then
  apt_ok
  echo "cofre: fetching restic 0.18 from Debian trixie" >&2
  apt_dir="$tools/apt-trixie"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$apt_dir/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::Archives=$apt_dir/archives"
    -o "Dir::State::Status=/var/lib/dpkg/status" -o "APT::Get::List-Cleanup=0")
  apt-get "${apt_opts[@]}" update -qq >/dev/null
  (cd "$apt_dir" && rm -f restic_*.deb && apt-get "${apt_opts[@]}" download restic >/dev/null)
  deb="$(ls "$apt_dir"/restic_*.deb | head -n1)"
  rm -rf "$tools/restic-0.18.tmp"
  dpkg -x "$deb" "$tools/restic-0.18.tmp"
  "$tools/restic-0.18.tmp/usr/bin/restic" version >/dev/null || explain "the trixie restic binary does not run here"
  rm -rf "$tools/restic-0.18"
  mv "$tools/restic-0.18.tmp" "$tools/restic-0.18"
fi

echo "cofre: test tools ready: $(restic version | head -c 40), $("$restic018" version | head -c 40), $(rclone version | head -n1)" >&2
