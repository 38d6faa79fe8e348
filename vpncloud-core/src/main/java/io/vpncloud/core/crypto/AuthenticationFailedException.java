package io.vpncloud.core.crypto;

import java.security.GeneralSecurityException;

/**
 * A received datagram could not be authenticated: too short, unknown key slot, replayed or too old nonce, or a
 * ciphertext or tag that does not verify. Expected on a network, so it carries a reason but no stack trace.
 */
public final class AuthenticationFailedException extends GeneralSecurityException {
    /** With the reason the datagram was rejected. */
    public AuthenticationFailedException(String reason) {
        super(reason);
    }

    /** No stack trace: this is thrown for every bad datagram, which is routine and must stay cheap. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
