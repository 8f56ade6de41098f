#!/usr/bin/env bash
# Installs the OS packages the project needs when their command is missing
# (Debian/Ubuntu). Usage: devtools/system-packages.sh <set>...   sets: run, test, bench
# Each needed command is checked first; apt-get runs only for what is missing.
set -euo pipefail
set -f  # the package table holds a path pattern: no globbing while reading it

declare -A PACKAGE_OF=(
  [redis-server]=redis-server
  [softhsm2-util]=softhsm2
  [pkcs11-tool]=opensc
  [openssl]=openssl
  [pg_ctlcluster]=postgresql
  [chromium]=chromium
  [wrk]=wrk
  [nginx]=nginx
  [curl]=curl
  [certutil]=libnss3-tools
  # not a command: OpenSSL's PKCS#11 engine, for the TLS client that uses a card's key on its token
  [/usr/lib/*/engines-3/pkcs11.so]=libengine-pkcs11-openssl
)
declare -A SET=(
  [run]="redis-server softhsm2-util nginx"
  [test]="redis-server softhsm2-util nginx pkcs11-tool openssl pg_ctlcluster chromium curl certutil /usr/lib/*/engines-3/pkcs11.so"
  [bench]="redis-server softhsm2-util wrk"
)

need_venv() { ! python3 -c 'import ensurepip, venv' 2>/dev/null; }

missing=()
for set in "$@"; do
  for cmd in ${SET[$set]:?unknown set $set}; do
    if [[ $cmd == /* ]]; then compgen -G "$cmd" >/dev/null && continue; else command -v "$cmd" >/dev/null 2>&1 && continue; fi
    missing+=("${PACKAGE_OF[$cmd]}")
  done
done
if need_venv; then
  py=$(python3 -c 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}")')
  missing+=("$py-venv")
fi
[ ${#missing[@]} -eq 0 ] && exit 0
missing=($(printf '%s\n' "${missing[@]}" | sort -u))

# apt-get waits for the package lock (another apt-get, unattended-upgrades) this long.
LOCK_WAIT=${APT_LOCK_TIMEOUT:-600}
LOCK_FILES=${APT_LOCK_FILES:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock}

# The command that fits this machine: no sudo for root, nor where sudo is absent.
install_command() {
  if [ "$(id -u)" -eq 0 ]; then echo "apt-get install -y $*"
  elif command -v sudo >/dev/null 2>&1; then echo "sudo apt-get install -y $*"
  else echo "su -c 'apt-get install -y $*'   (as root)"; fi
}

# The process holding one of the package locks, read from /proc/locks (without taking the lock).
lock_holder() {
  local path inode
  for path in $LOCK_FILES; do
    [ -e "$path" ] || continue
    inode=$(stat -c %i "$path")
    awk -v ino="$inode" '{ if ($2 == "->") next; n = split($6, dev, ":"); if (dev[n] == ino) { print $5; exit } }' \
      /proc/locks 2>/dev/null
  done | head -n 1
}

if [ "$(id -u)" -eq 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:  $(install_command "${missing[@]}")" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]} (no apt-get here: install them with your package manager)" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
holder=$(lock_holder)
if [ -n "$holder" ]; then
  echo "Another package installation holds the package lock (process $holder: $(ps -o comm= -p "$holder" 2>/dev/null || echo '?'));" \
       "waiting for it to finish (up to $((LOCK_WAIT / 60)) min, APT_LOCK_TIMEOUT=<seconds> to change)…"
fi
export DEBIAN_FRONTEND=noninteractive
apt=("${sudo[@]}" apt-get -o "DPkg::Lock::Timeout=$LOCK_WAIT")
if ! { "${apt[@]}" update -qq && "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "Could not install ${missing[*]} with apt-get (see its message above). Install them by hand:" \
       "$(install_command "${missing[@]}")" >&2
  exit 1
fi
