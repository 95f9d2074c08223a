#!/bin/sh
# Builds the .deb with CPack from the build tree and checks what it installs
# and which dependencies it declares, including the package of every file the
# app looks for at run time (check_runtime_files.py).
# Usage: check_deb.sh <build dir> <version>
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$1
version=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$build"
cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/tessera_"$version"_*.deb)
contents=$(dpkg-deb -c "$deb")
missing=0
for path in ./usr/bin/tessera ./usr/bin/tessera-cli \
            ./usr/share/applications/org.tessera.Tessera.desktop \
            ./usr/share/metainfo/org.tessera.Tessera.metainfo.xml \
            ./usr/share/icons/hicolor/scalable/apps/org.tessera.Tessera.svg \
            ./usr/share/tessera/translations/tessera_zh_CN.qm \
            ./usr/share/tessera/translations/tessera_en.qm; do
    if ! printf '%s\n' "$contents" | awk '{print $6}' | grep -qx "$path"; then
        echo "missing from the package: $path"
        missing=1
    fi
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for dep in libqt6widgets6 libqt6network6 libqt6svg6 qt6-qpa-plugins libc6; do
    case "$depends" in
        *"$dep"*) ;;
        *) echo "dependency not declared: $dep"; missing=1 ;;
    esac
done
[ "$(dpkg-deb -f "$deb" Package)" = tessera ] || { echo "wrong package name"; missing=1; }
python3 "$here/check_runtime_files.py" "$here/../.." "$deb" || missing=1
exit $missing
