package io.vpncloud.tun.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Whether this machine can run {@link LinuxTunDevice}, and if not, why. */
final class LinuxTunSupport {

    /** The 64-bit architectures sharing the generic Linux ABI constants of {@link LibC}. */
    private static final Set<String> ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64", "riscv64");
    private static final Path TUN_DEVICE = Path.of("/dev/net/tun");

    private LinuxTunSupport() {
    }

    /** Why the platform (OS, architecture, JNA) cannot work, or empty when it can. */
    static String platformProblem() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not running on Linux (os.name is '" + os + "'); TUN devices through /dev/net/tun need Linux";
        }
        String arch = System.getProperty("os.arch", "");
        if (!ARCHITECTURES.contains(arch)) {
            return "unsupported architecture " + arch + "; supported are amd64, aarch64 and riscv64";
        }
        try {
            return LibC.LOAD_FAILURE.isEmpty() ? "" : "JNA could not bind the C library: " + LibC.LOAD_FAILURE;
        } catch (LinkageError e) {
            return "JNA could not be loaded: " + e;
        }
    }

    /** Why TUN devices cannot be created here, or empty when they can (permissions are not checked). */
    static String unavailableReason() {
        String problem = platformProblem();
        if (!problem.isEmpty()) {
            return problem;
        }
        if (!Files.exists(TUN_DEVICE)) {
            return TUN_DEVICE + " is missing; load the tun driver with 'modprobe tun'"
                    + " (in a container, pass --device " + TUN_DEVICE + ")";
        }
        return "";
    }
}
