#!/usr/bin/env bash
# Builds the operator package of the vpncloud command, run by Maven in the package phase of vpncloud-cli after the
# jar and its class list exist:
#   target/package/root/                  the installed tree: /usr/bin/vpncloud, the man page, completions, systemd
#                                         units, /etc/vpncloud, and /usr/lib/vpncloud, a self-contained image of the
#                                         command: bin/vpncloud, lib/ (the jar) and runtime/ (a jlink Java runtime
#                                         with just the modules the command needs)
#   target/vpncloud-java_VERSION_ARCH.deb that tree as a Debian package (dpkg-deb)
# Usage: build-deb.sh MODULE_DIR JAVA_HOME VERSION
set -euo pipefail

module_dir=$1
java_home=$2
maven_version=$3


target="$module_dir/target"
sources="$module_dir/src/package"
stage="$target/package/root"
lib_home=/usr/lib/vpncloud

die() {
    echo "build-deb.sh: $*" >&2
    exit 1
}

command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb is missing (package dpkg); skip the package with -Dvpncloud.package.skip"
[[ -x $java_home/bin/jlink ]] || die "$java_home/bin/jlink is missing: the build needs a full JDK"
for file in vpncloud.jar vpncloud.classlist; do
    [[ -f $target/$file ]] || die "$target/$file is missing; the shade plugin and the training run make it first"
done

# 0.1.0-SNAPSHOT sorts after 0.1.0 for dpkg unless the suffix goes behind a tilde.
version=${maven_version/-/\~}
architecture=$(dpkg --print-architecture)

rm -rf "$target/package"
mkdir -p "$stage$lib_home/bin" "$stage$lib_home/lib" "$stage/usr/bin" "$stage/usr/share/man/man1" \
    "$stage/lib/systemd/system" "$stage/etc/vpncloud" "$stage/usr/share/doc/vpncloud-java" "$stage/DEBIAN"

# The Java modules the jar uses, as jdeps finds them, without java.desktop (JNA refers to AWT only for windows, which
# the command never has), and with what jdeps cannot see: the JDK's elliptic-curve provider (found through the
# security providers) and jdk.unsupported (sun.misc.Unsafe, looked up by reflection).
modules=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$target/vpncloud.jar")
modules=$(tr ',' '\n' <<<"$modules,jdk.crypto.ec,jdk.unsupported" | grep -vx java.desktop | sort -u | paste -sd,)

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$stage$lib_home/runtime"

install -m 0755 "$module_dir/bin/vpncloud" "$stage$lib_home/bin/vpncloud"
ln -s "../lib/vpncloud/bin/vpncloud" "$stage/usr/bin/vpncloud"
install -m 0644 "$target/vpncloud.jar" "$target/vpncloud.classlist" "$stage$lib_home/lib/"
install -m 0755 "$sources/make-cds-archive" "$stage$lib_home/lib/make-cds-archive"

# JNA's native library, unpacked once here instead of into a temporary directory at every start.
case $architecture in
    amd64) jna_platform=linux-x86-64 ;;
    arm64) jna_platform=linux-aarch64 ;;
    *) jna_platform= ;;
esac
if [[ -n $jna_platform ]]; then
    unpacked="$target/package/jna"
    mkdir -p "$unpacked"
    (cd "$unpacked" && "$java_home/bin/jar" xf "$target/vpncloud.jar" "com/sun/jna/$jna_platform/libjnidispatch.so")
    install -m 0644 "$unpacked/com/sun/jna/$jna_platform/libjnidispatch.so" "$stage$lib_home/lib/"
fi

install -m 0644 "$sources/vpncloud@.service" "$sources/vpncloud.target" "$stage/lib/systemd/system/"

run_command() {
    "$stage$lib_home/runtime/bin/java" -cp "$target/vpncloud.jar" io.vpncloud.cli.VpncloudCommand "$@"
}

# The man page: the command's own help is the options section, so the page says what the command does.
{
    printf '.TH VPNCLOUD 1 "%s" "vpncloud-java %s" "User Commands"\n' "$(date -u +%Y-%m-%d)" "$maven_version"
    printf '.SH NAME\nvpncloud \\- peer-to-peer VPN speaking the VpnCloud 2.x protocol (vpncloud-java)\n'
    printf '.SH DESCRIPTION\n'
    printf 'A node of a VpnCloud network on a Linux TUN or TAP device, with the options and config files of the\n'
    printf 'reference implementation. Several nodes may claim the same address; each peer sends to the claimant\n'
    printf 'it has known longest, and fails over to the next when that one is lost.\n'
    printf '.PP\nAs a service: \\fBsystemctl enable \\-\\-now vpncloud@NAME\\fR runs the network described by\n'
    printf '\\fI/etc/vpncloud/NAME.net\\fR; \\fBvpncloud.target\\fR starts and stops all of them.\n'
    printf '.PP\nThe JVM options come from the launcher; \\fBVPNCLOUD_JAVA_OPTS\\fR adds to them (for example a\n'
    printf 'larger heap with \\fB\\-Xmx128m\\fR).\n'
    printf '.SH OPTIONS\n.nf\n'
    run_command --help | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"
    printf '.fi\n'
    printf '.SH FILES\n.TP\n\\fI/etc/vpncloud/NAME.net\\fR\nthe config file of network NAME\n'
    printf '.TP\n\\fI/var/log/vpncloud\\-NAME.log\\fR, \\fI/var/log/vpncloud\\-NAME.stats\\fR\nlog and stats of the service\n'
    printf '.SH SEE ALSO\n\\fBsystemctl\\fR(1)\n'
} | gzip -9 -n >"$stage/usr/share/man/man1/vpncloud.1.gz"

# Completions, from the command's own "completion" subcommand.
completion_missing=()
for shell in bash zsh fish; do
    case $shell in
        bash) file="$stage/usr/share/bash-completion/completions/vpncloud" ;;
        zsh) file="$stage/usr/share/zsh/vendor-completions/_vpncloud" ;;
        fish) file="$stage/usr/share/fish/vendor_completions.d/vpncloud.fish" ;;
    esac
    mkdir -p "$(dirname "$file")"
    if ! run_command completion --shell "$shell" >"$file" 2>/dev/null || [[ ! -s $file ]]; then
        rm -f "$file"
        rmdir -p --ignore-fail-on-non-empty "$(dirname "$file")"
        completion_missing+=("$shell")
    fi
done
if [[ ${#completion_missing[@]} -gt 0 ]]; then
    echo "build-deb.sh: no completion for ${completion_missing[*]}: 'vpncloud completion --shell SHELL' failed; the package" \
        "has none for them" >&2
fi

cat >"$stage/usr/share/doc/vpncloud-java/copyright" <<EOF
vpncloud-java: a Java implementation of the VpnCloud 2.x protocol, with its own Java runtime
(OpenJDK, GPL-2.0 with the Classpath Exception; see $lib_home/runtime/legal).
EOF

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: vpncloud-java
Version: $version
Architecture: $architecture
Maintainer: vpncloud-java developers <vpncloud-java@localhost>
Installed-Size: $installed_size
Depends: libc6
Provides: vpncloud
Conflicts: vpncloud
Replaces: vpncloud
Section: net
Priority: optional
Description: peer-to-peer VPN speaking the VpnCloud 2.x protocol, with IP-layer high availability
 The vpncloud command of vpncloud-java: the options and config files of VpnCloud, a node of a VpnCloud
 network on a TUN or TAP device, several servers claiming one address with failover between them. Brings its own
 Java runtime; runs each network as the service vpncloud@NAME from /etc/vpncloud/NAME.net.
EOF
install -m 0755 "$sources/debian/postinst" "$sources/debian/prerm" "$sources/debian/postrm" "$stage/DEBIAN/"

deb="$target/vpncloud-java_${version}_${architecture}.deb"
rm -f "$target"/vpncloud-java_*.deb
# gzip: a few seconds, where xz takes most of a minute for the runtime.
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$deb" >/dev/null
echo "build-deb.sh: $deb ($(du -h "$deb" | cut -f1))"
