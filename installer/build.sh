#!/usr/bin/env bash
# Builds Keiryo's app image and installers with jpackage, from the jars that `./mvnw package` made
# (app/target/keiryo-workbench.jar and app/target/lib). See installer/README.md.
#
#   installer/build.sh [app-image] [deb] [rpm] [msi] [dmg]   default: app-image
#   installer/build.sh modules                               re-measure the runtime's modules (jdeps)
#
# Linux: app-image, deb (needs fakeroot), rpm (needs rpmbuild). Windows (Git Bash): app-image, msi
# (needs WiX 3). macOS: app-image, dmg. Output: target/installer/ (image/ holds the app image).
# Environment: KEIRYO_APP_VERSION overrides the version; JAVA_HOME picks the JDK (17+).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
inst="$root/installer"
out="$root/target/installer"

die() { echo "installer/build.sh: $*" >&2; exit 1; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  MINGW*|MSYS*|CYGWIN*) os=windows ;;
  *) die "unsupported OS $(uname -s): jpackage builds for Linux, Windows and macOS" ;;
esac
case "$(uname -m)" in
  x86_64|amd64|AMD64) arch=x86_64 ;;
  arm64|aarch64) arch=arm64 ;;
  *) die "unsupported CPU $(uname -m): ND4J's native build exists for x86_64 (and arm64 on macOS)" ;;
esac
case "$os" in
  linux) platform="linux-$arch" ;;
  windows) platform="windows-$arch" ;;
  macos) platform="macosx-$arch" ;;
esac

jdk_bin=""
[ -n "${JAVA_HOME:-}" ] && jdk_bin="$JAVA_HOME/bin/"
jpackage="${jdk_bin}jpackage"
command -v "$jpackage" >/dev/null 2>&1 || die "jpackage not found ($jpackage): it comes with a full JDK 17+ (Debian: openjdk-17-jdk-headless); set JAVA_HOME to one"
java="${jdk_bin}java"

types=("$@")
[ ${#types[@]} -eq 0 ] && types=(app-image)

jar="$root/app/target/keiryo-workbench.jar"
lib="$root/app/target/lib"
[ -f "$jar" ] && [ -d "$lib" ] || die "$jar or its lib/ is missing: build first with ./mvnw -B -DskipTests package"

if [ "${types[0]}" = modules ]; then
  # jdeps cannot resolve these jars as modules (nd4j-api's module-info names a package it lacks),
  # so each jar is summarised alone and the JDK modules they name are collected.
  for j in "$jar" "$lib"/*.jar; do "${jdk_bin}jdeps" --multi-release 17 -summary "$j" 2>/dev/null || true; done \
    | grep -oE -- '-> (java|jdk)\.[a-z.]+' | cut -c4- | sort -u | paste -sd, -
  exit 0
fi

# A numeric version for jpackage (MSI and macOS refuse qualifiers): 0.1.0-SNAPSHOT -> 0.1.0.
if [ -n "${KEIRYO_APP_VERSION:-}" ]; then
  version="$KEIRYO_APP_VERSION"
else
  # the first <version> of the root pom is the project's own (it has no parent)
  version=$(sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' "$root/pom.xml" | head -1)
  version="${version%%-*}"
fi
[[ "$version" =~ ^[0-9]+(\.[0-9]+){0,2}$ ]] || die "version '$version' is not 1 to 3 numbers: set KEIRYO_APP_VERSION"
if [ "$os" = macos ] && [ "${version%%.*}" = 0 ]; then
  die "macOS bundles need a version whose first number is at least 1 (got $version): set KEIRYO_APP_VERSION=1.0.0 or release 1.0"
fi

name=$(sed -n 's/^--name "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$inst/$os/image.args")
case "$os" in
  macos) image="$out/image/$name.app" ;;
  *) image="$out/image/$name" ;;
esac

build_image() {
  local t0=$SECONDS
  rm -rf "$out/input" "$out/image"
  mkdir -p "$out/input/lib" "$out/image"
  cp "$jar" "$out/input/"
  cp "$lib"/*.jar "$out/input/lib/"
  [ "$os" = linux ] && cp "$inst/linux/keiryo-workbench.desktop" "$out/input/"
  # only the target platform's native libraries go into the image
  "$java" "$inst/tools/StripForeignNatives.java" "$out/input/lib" "$platform"
  (cd "$inst" && "$jpackage" --type app-image @about.args @image.args @"$os"/image.args \
      --app-version "$version" --input "$out/input" --dest "$out/image")
  echo "app image: $image ($(du -sh "$image" | cut -f1), $((SECONDS - t0)) s)"
}

build_package() {
  local type=$1 t0=$SECONDS extra=()
  [ -d "$image" ] || build_image
  case "$type" in
    deb)
      [ "$os" = linux ] || die "a .deb is built on Linux"
      command -v fakeroot >/dev/null 2>&1 || die "building a .deb needs fakeroot (Debian: apt-get install fakeroot)"
      extra=(@linux/package.args @linux/deb.args) ;;
    rpm)
      [ "$os" = linux ] || die "an .rpm is built on Linux"
      command -v rpmbuild >/dev/null 2>&1 || die "building an .rpm needs rpmbuild (Debian: apt-get install rpm; Fedora: rpm-build)"
      extra=(@linux/package.args @linux/rpm.args) ;;
    msi)
      [ "$os" = windows ] || die "an .msi is built on Windows"
      command -v candle.exe >/dev/null 2>&1 || die "building an .msi needs WiX 3 (candle.exe, light.exe) on the PATH"
      extra=(@windows/package.args) ;;
    dmg)
      [ "$os" = macos ] || die "a .dmg is built on macOS"
      extra=(@macos/package.args)
      if [ -n "${KEIRYO_MAC_SIGN_IDENTITY:-}" ]; then
        extra+=(--mac-sign --mac-signing-key-user-name "$KEIRYO_MAC_SIGN_IDENTITY")
      fi ;;
    *) die "unknown type '$type': app-image, deb, rpm, msi, dmg or modules" ;;
  esac
  mkdir -p "$out"
  (cd "$inst" && "$jpackage" --type "$type" --app-image "$image" @about.args "${extra[@]}" \
      --app-version "$version" --dest "$out")
  if [ "$type" = dmg ] || [ "$type" = msi ]; then
    # one file per CPU: the runtime and ND4J's natives are the build machine's
    local made="$out/$name-$version.$type"
    mv -f "$made" "$out/keiryo-$version-$os-$arch.$type"
  fi
  echo "$type: $(ls -1t "$out"/*."$type" | head -1) ($(du -h "$(ls -1t "$out"/*."$type" | head -1)" | cut -f1), $((SECONDS - t0)) s)"
}

for t in "${types[@]}"; do
  case "$t" in
    app-image) build_image ;;
    *) build_package "$t" ;;
  esac
done
