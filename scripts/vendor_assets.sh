#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry at pinned versions.
# No build step: the files are copied as published and committed.
set -euo pipefail
HTMX_VERSION=2.0.11
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null && tar xzf htmx.org-*.tgz)
install -m 644 "$tmp/package/dist/htmx.min.js" "$here/static/vendor/htmx-${HTMX_VERSION}.min.js"
echo "static/vendor/htmx-${HTMX_VERSION}.min.js"
