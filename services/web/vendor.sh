#!/usr/bin/env bash
# Copies GOV.UK Frontend's built CSS and JS into static/govuk/ (and axe-core into the browser tests) from the npm
# registry's packages, so nothing is loaded from the internet at run time. Run again to move to a new version:
#   services/web/vendor.sh [GOVUK_FRONTEND_VERSION] [AXE_CORE_VERSION]
# The GDS Transport font and the crown/crest images are left out on purpose: their licence allows them on GOV.UK
# services only, so the CSS falls back to its own second choice, Arial (the @font-face rules are removed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
govuk="${1:-6.6.0}"
axe="${2:-4.14.1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$govuk" "axe-core@$axe" >/dev/null)
mkdir -p "$work/govuk" "$work/axe"
tar xzf "$work/govuk-frontend-$govuk.tgz" -C "$work/govuk"
tar xzf "$work/axe-core-$axe.tgz" -C "$work/axe"

out="$here/static/govuk"
mkdir -p "$out"
sed -E "s/@font-face\{[^}]*\}//g; s@/\*# sourceMappingURL=[^*]*\*/@@" "$work/govuk/package/dist/govuk/govuk-frontend.min.css" > "$out/govuk-frontend.min.css"
sed -E "s@//# sourceMappingURL=[^ ]*\$@@" "$work/govuk/package/dist/govuk/govuk-frontend.min.js" > "$out/govuk-frontend.min.js"
printf 'govuk-frontend %s (npm), MIT licence, Crown copyright (Government Digital Service)\n' "$govuk" > "$out/VERSION"

tests="$root/tests/web"
mkdir -p "$tests"
cp "$work/axe/package/axe.min.js" "$tests/axe.min.js"
cp "$work/axe/package/LICENSE" "$tests/axe.LICENSE"
printf 'axe-core %s (npm), Mozilla Public License 2.0\n' "$axe" > "$tests/axe.VERSION"
echo "vendored govuk-frontend $govuk into $out and axe-core $axe into $tests"
