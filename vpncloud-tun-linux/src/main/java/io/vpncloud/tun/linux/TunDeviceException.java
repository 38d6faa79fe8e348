package io.vpncloud.tun.linux;

import java.io.IOException;

/**
 * Creating, configuring or using a TUN device failed. The message says what to do; {@link #reason()} lets
 * callers react to the common cases without parsing it.
 */
public final class TunDeviceException extends IOException {

    /** What went wrong. */
    public enum Reason {
        /** Not Linux, an unsupported architecture, or JNA could not be loaded. */
        UNSUPPORTED_PLATFORM,
        /** {@code /dev/net/tun} is missing or the tun driver is not loaded. */
        NO_TUN_DRIVER,
        /** The process lacks root or {@code CAP_NET_ADMIN}. */
        PERMISSION_DENIED,
        /** Another interface already has the requested name. */
        NAME_IN_USE,
        /** The kernel does not accept the name. */
        INVALID_NAME,
        /** Any other failing system call; the message names it and the error. */
        SYSTEM_ERROR
    }

    /** The advice given whenever the kernel refuses for lack of privileges. */
    static final String PRIVILEGE_ADVICE = "run as root or grant the capability: "
            + "setcap cap_net_admin+ep $(readlink -f $(which java))";

    /** What went wrong. */
    private final Reason reason;
    /** The Linux error number, or 0. */
    private final int errno;

    TunDeviceException(Reason reason, int errno, String message) {
        super(message);
        this.reason = reason;
        this.errno = errno;
    }

    /** A failed system call other than the common cases: names the action and the kernel's error. */
    static TunDeviceException systemError(String action, int errno) {
        return new TunDeviceException(Reason.SYSTEM_ERROR, errno, action + " failed: " + describe(errno));
    }

    /** The kernel refused {@code action} for lack of privileges. */
    static TunDeviceException permissionDenied(String action, int errno) {
        return new TunDeviceException(Reason.PERMISSION_DENIED, errno,
                action + " needs root or CAP_NET_ADMIN; " + PRIVILEGE_ADVICE);
    }

    /** The C library's text for {@code errno}, with the number. */
    static String describe(int errno) {
        return LibC.strerror(errno) + " (errno " + errno + ")";
    }

    /**
     * What went wrong.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The Linux error number behind this failure, or 0 when none.
     *
     * @return the error number, or 0
     */
    public int errno() {
        return errno;
    }
}
