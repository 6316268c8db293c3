#!/usr/bin/env bash
# Lays out a deployable Azure Functions custom-handler app and zips it:
#   <out>/host.json, <out>/<FunctionName>/function.json, <out>/app/TwoFactorFunctions.App (self-contained linux-x64)
#   <out>.zip with the same tree at its root (what `az functionapp deployment source config-zip` takes).
# Usage: scripts/publish.sh [output folder]   (default: artifacts/functionapp)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/artifacts/functionapp}"
out="$(mkdir -p "$out" && cd "$out" && pwd)"
archive="$out.zip"
if [[ "$out" == "/" || "$out" == "$root" || "$out" == "$HOME" ]]; then
  echo "Refusing to publish into $out" >&2
  exit 1
fi

rm -rf "${out:?}"/* "$archive"

cp "$root/host.json" "$out/"
for dir in "$root"/functions/*/; do
  name="$(basename "$dir")"
  mkdir -p "$out/$name"
  cp "$dir/function.json" "$out/$name/"
done

# Built in a scratch artifacts folder, never in the projects' own bin/obj: a publish must not rewrite the outputs a
# concurrent build or test run of the repository is reading (this one strips the debug symbols, for example).
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
dotnet publish "$root/src/TwoFactorFunctions.App/TwoFactorFunctions.App.csproj" \
  --configuration Release --runtime linux-x64 --self-contained true --artifacts-path "$build" \
  --output "$out/app" -p:DebugType=None -p:DebugSymbols=false --nologo

# Development settings (dev secret, local SMTP) must not ship; Azure supplies settings as app settings.
rm -f "$out/app/appsettings.Development.json"
chmod +x "$out/app/TwoFactorFunctions.App"

# The archive keeps Unix permissions: the host runs app/TwoFactorFunctions.App directly.
if command -v zip >/dev/null 2>&1; then
  (cd "$out" && zip -q -r -X "$archive" .)
else
  python3 - "$out" "$archive" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for base, _, files in os.walk(src):
        for f in sorted(files):
            path = os.path.join(base, f)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, src))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as fh:
                z.writestr(info, fh.read())
PY
fi

echo "Function app folder: $out"
echo "Deployment package:  $archive"
