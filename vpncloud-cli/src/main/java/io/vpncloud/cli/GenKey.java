package io.vpncloud.cli;

import io.vpncloud.core.crypto.Identity;

import java.security.SecureRandom;
import java.util.Optional;

/** {@code vpncloud genkey}: prints a key pair in base62, exactly as the reference does. */
public final class GenKey {

    private GenKey() {
    }

    /** The key pair derived from {@code password}, or a random one when it is empty. */
    public static Identity keyPair(Optional<String> password) {
        if (password.isPresent()) {
            return Identity.fromPassword(password.get());
        }
        byte[] seed = new byte[Identity.KEY_LENGTH];
        new SecureRandom().nextBytes(seed);
        return Identity.fromPrivateKey(seed);
    }

    /** The reference's output: the two key lines, a blank line and the advice to keep the private key secret. */
    public static String output(Identity identity) {
        return "Private key: " + identity.privateKeyBase62() + "\n"
                + "Public key: " + identity.publicKeyBase62() + "\n"
                + "\n"
                + "Attention: Keep the private key secret and use only the public key on other nodes to establish trust.\n";
    }
}
