package io.vpncloud.core.wire;

/**
 * Raised by every decoder of this package when its input is not a valid message. Bad input from the network is
 * an expected condition, so this exception carries no stack trace.
 */
public final class MalformedMessageException extends Exception {

    private final String reason;

    /** @param reason what was wrong, e.g. "truncated message" */
    public MalformedMessageException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    /** What was wrong with the message. */
    public String reason() {
        return reason;
    }
}
