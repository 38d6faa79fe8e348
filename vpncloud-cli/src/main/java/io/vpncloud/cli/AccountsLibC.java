package io.vpncloud.cli;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The C library calls behind {@code --user} and {@code --group}: looking up accounts (through NSS, as {@code id}
 * does) and changing the process's ids. glibc applies {@code setuid}, {@code setgid} and {@code setgroups} to every
 * thread of the process, so the JVM's threads all change together.
 */
final class AccountsLibC {

    /** Why the library could not be bound, or empty when it was. */
    static final String LOAD_FAILURE;

    static {
        String failure = "";
        try {
            Native.register(AccountsLibC.class, Platform.C_LIBRARY_NAME);
        } catch (LinkageError e) {
            failure = e.toString();
        }
        LOAD_FAILURE = failure;
    }

    private AccountsLibC() {
    }

    /** {@code struct passwd *getpwnam(const char *)}: null when there is no such user. */
    static native Pointer getpwnam(String name);

    /** {@code struct passwd *getpwuid(uid_t)}. */
    static native Pointer getpwuid(int uid);

    /** {@code struct group *getgrnam(const char *)}: null when there is no such group. */
    static native Pointer getgrnam(String name);

    /** {@code struct group *getgrgid(gid_t)}. */
    static native Pointer getgrgid(int gid);

    static native int setgroups(NativeLong size, int[] groups) throws LastErrorException;

    static native int setgid(int gid) throws LastErrorException;

    static native int setuid(int uid) throws LastErrorException;

    static native int geteuid();

    /**
     * {@code pw_uid} and {@code pw_gid} follow the two pointers {@code pw_name} and {@code pw_passwd};
     * {@code gr_gid} follows {@code gr_name} and {@code gr_passwd}.
     */
    static int idAfterTwoPointers(Pointer struct, int index) {
        return struct.getInt(2L * Native.POINTER_SIZE + 4L * index);
    }
}
