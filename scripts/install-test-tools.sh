#!/usr/bin/env bash
# Makes the real components the integration tests run against available:
# restic 0.14 (Debian bookworm), restic 0.18 (the Debian trixie .deb unpacked into .tools/),
# restic 0.19.1 and the real rest-server 0.14 (Debian sid .debs unpacked into .tools/),
# rclone (a second REST server, for what only it shows), nginx (TLS + Basic Auth front),
# openssl, htpasswd.
# Idempotent and fast when everything is present. Run by `npm run pretest` and `.ci/run`.
# COFRE_TOOLS_DIR overrides the tools folder (default <repo>/.tools), e.g. to try a fresh fetch.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${COFRE_TOOLS_DIR:-$root/.tools}"
restic018="$tools/restic-0.18/usr/bin/restic"
restic019="$tools/restic-0.19/usr/bin/restic"
restserver="$tools/rest-server/usr/bin/restic-rest-server"
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
and put these binaries (from the Debian packages named) at:
  $restic018   (restic 0.18, Debian trixie)
  $restic019   (restic 0.19.1, Debian sid)
  $restserver   (restic-rest-server 0.14, Debian sid)
MSG
  exit 1
}

apt_ok() {
  command -v apt-get >/dev/null 2>&1 || explain "this is not a Debian-based system (no apt-get)"
  command -v dpkg >/dev/null 2>&1 || explain "this is not a Debian-based system (no dpkg)"
  [ "$(id -u)" = 0 ] || explain "apt-get needs root and this script runs as $(id -un)"
}

# The version a binary reports, or nothing when it does not run here.
version_of() { # <binary> <version argument>
  [ -x "$1" ] || return 0
  "$1" "$2" 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true
}

if [ ${#need_apt[@]} -gt 0 ]; then
  apt_ok
  echo "cofre: installing ${need_apt[*]} from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Debian suites other than the system's one, each with its own sources list and package lists in a
# private folder: the system's apt state is never touched and nothing gets installed.
suite_opts() { # <suite>
  local apt_dir="$tools/apt-$1"
  printf '%s\0' -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null" \
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::Archives=$apt_dir/archives" \
    -o "Dir::State::Status=/var/lib/dpkg/status" -o "APT::Get::List-Cleanup=0"
}
declare -A suite_updated=()
suite_update() { # <suite>: once per run
  local suite="$1" apt_dir="$tools/apt-$1" out opts
  [ -z "${suite_updated[$suite]:-}" ] || return 0
  mapfile -d '' opts < <(suite_opts "$suite")
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" > "$apt_dir/sources.list"
  out="$(apt-get "${opts[@]}" update -qq 2>&1)" || explain "apt-get update for Debian $suite failed (no network, or no debian-archive-keyring?):
$out"
  suite_updated[$suite]=1
}

# Downloads <package> from <suite>, unpacks it into <dest> and keeps it only when the binary inside
# reports a version matching <regex>: a wrong version under the expected path would make the test
# matrix lie.
fetch_deb() { # <suite> <package> <dest folder> <binary inside> <version argument> <version regex> <wanted>
  local suite="$1" package="$2" dest="$3" inside="$4" version_arg="$5" regex="$6" wanted="$7"
  apt_ok
  echo "cofre: fetching $package ($wanted) from Debian $suite" >&2
  local apt_dir="$tools/apt-$suite"
  suite_update "$suite"
  rm -f "$apt_dir/${package}"_*.deb
  local out opts
  mapfile -d '' opts < <(suite_opts "$suite")
  out="$(cd "$apt_dir" && apt-get "${opts[@]}" download "$package" 2>&1)" || explain "apt-get download $package from Debian $suite failed:
$out"
  local deb
  deb="$(ls "$apt_dir/${package}"_*.deb 2>/dev/null | head -n1)"
  [ -n "$deb" ] || explain "apt-get download $package from Debian $suite left no .deb"
  rm -rf "$dest.tmp"
  dpkg -x "$deb" "$dest.tmp"
  local got
  got="$(version_of "$dest.tmp/$inside" "$version_arg")"
  if ! [[ "$got" =~ $regex ]]; then
    rm -rf "$dest.tmp"
    explain "$package from Debian $suite is version '${got:-none (does not run here)}', the tests need $wanted"
  fi
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
}

# <dest> <binary inside> <version argument> <regex> <suite> <package> <wanted>
ensure_tool() {
  local dest="$1" inside="$2" version_arg="$3" regex="$4" suite="$5" package="$6" wanted="$7"
  local got
  got="$(version_of "$dest/$inside" "$version_arg")"
  [[ "$got" =~ $regex ]] && return 0
  [ -z "$got" ] || echo "cofre: $dest/$inside is version $got, not $wanted: fetching it again" >&2
  fetch_deb "$suite" "$package" "$dest" "$inside" "$version_arg" "$regex" "$wanted"
}

ensure_tool "$tools/restic-0.18" usr/bin/restic version '^0\.18\.' trixie restic 'restic 0.18'
ensure_tool "$tools/restic-0.19" usr/bin/restic version '^0\.19\.([1-9]|[1-9][0-9])$' sid restic 'restic 0.19.1 or a later 0.19'
ensure_tool "$tools/rest-server" usr/bin/restic-rest-server --version '^0\.14\.' sid restic-rest-server 'restic-rest-server 0.14'

echo "cofre: test tools ready: restic $(version_of "$(command -v restic)" version), restic $(version_of "$restic018" version)," \
  "restic $(version_of "$restic019" version), rest-server $(version_of "$restserver" --version), $(rclone version | head -n1)" >&2
