package io.vpncloud.tun.linux;

import java.nio.charset.StandardCharsets;

/**
 * Checks an interface name or pattern the way the kernel does, so a bad name fails with a clear message
 * before any system call.
 */
final class InterfaceName {

    /** {@code IFNAMSIZ} minus the terminating NUL. */
    static final int MAX_BYTES = 15;

    private InterfaceName() {
    }

    /**
     * Returns the name's bytes as the kernel reads them.
     *
     * @throws TunDeviceException with reason {@code INVALID_NAME} naming the rule that was broken
     */
    static byte[] encode(String name) throws TunDeviceException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw invalid(name, "it must have 1 to " + MAX_BYTES + " bytes, not " + bytes.length);
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid(name, "'.' and '..' are reserved");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
                throw invalid(name, "it must not contain '/', ':', NUL or white space");
            }
        }
        int percent = name.indexOf('%');
        if (percent >= 0 && (!name.startsWith("%d", percent) || name.indexOf('%', percent + 2) >= 0)) {
            throw invalid(name, "the only pattern allowed is a single %d");
        }
        return bytes;
    }

    /** Whether the kernel picks a number for this name. */
    static boolean isPattern(String name) {
        return name.contains("%d");
    }

    private static TunDeviceException invalid(String name, String rule) {
        return new TunDeviceException(TunDeviceException.Reason.INVALID_NAME, 0,
                "invalid device name '" + name + "': " + rule);
    }
}
