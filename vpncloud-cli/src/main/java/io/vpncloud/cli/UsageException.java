package io.vpncloud.cli;

/**
 * A wrong command line or configuration file. The message names the option (or config key) and says what is
 * wrong; the command prints it as one line and exits with {@link #EXIT_CODE}.
 */
public final class UsageException extends Exception {

    /** The exit status for usage errors, as command line tools conventionally use. */
    public static final int EXIT_CODE = 2;

    public UsageException(String message) {
        super(message);
    }
}
