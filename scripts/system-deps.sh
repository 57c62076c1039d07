#!/usr/bin/env bash
# Before the suite: the system programs the Node-project tests drive. etcd and etcdctl 3.4 run a real cluster
# on loopback (test/node/etcd-*.test.ts, calibration smoke); Chromium renders /docs headless
# (test/node/docs-browser.test.ts, path from $CHROMIUM, default /usr/bin/chromium). Where one is missing and
# this machine can install it (root, apt-get), it installs the Debian packages, with one `apt-get update`
# only when something is missing. Where it cannot, it stops with the packages and the command to run,
# so no test ever fails with ENOENT.
set -uo pipefail

chromium=${CHROMIUM:-/usr/bin/chromium}
missing=()
etcd_version() { etcd --version 2>/dev/null | sed -n 's/^etcd Version: //p'; }
find_missing() {
  missing=()
  if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null; then
    missing+=(etcd-server etcd-client)
  elif [[ $(etcd_version) != 3.4.* ]]; then
    echo "system deps: etcd $(etcd_version) found; the real-etcd tests expect 3.4 (Debian's etcd-server)." >&2
  fi
  [ -x "$chromium" ] || missing+=(chromium)
}
find_missing

if [ ${#missing[@]} -eq 0 ]; then
  echo "system deps: etcd $(etcd_version), etcdctl and Chromium ($chromium) present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null && [ "$chromium" = /usr/bin/chromium ]; then
  echo "system deps: installing ${missing[*]} (apt-get update, then apt-get install)"
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
    # Installed is not the same as found: a PATH without /usr/bin still misses them.
    find_missing
    if [ ${#missing[@]} -eq 0 ]; then
      echo "system deps: installed; etcd $(etcd_version), etcdctl and Chromium ($chromium) present"
      exit 0
    fi
    echo "system deps: installed, but ${missing[*]} still not found on PATH ($PATH)" >&2
  else
    echo "system deps: apt-get could not install ${missing[*]}" >&2
  fi
fi

cat >&2 <<MSG
system deps: missing ${missing[*]}.
The test suite runs a real etcd 3.4 (etcd-server, etcd-client) and a headless Chromium (chromium).
Install them and run the tests again:
  sudo apt-get update && sudo apt-get install -y ${missing[*]}
(or set CHROMIUM to the path of a Chromium binary you already have).
MSG
exit 1
