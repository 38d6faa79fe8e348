package io.vpncloud.core.crypto;

import java.security.Provider;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conscrypt (BoringSSL through JNI) as a {@code javax.crypto} provider object, when the application has
 * {@code org.conscrypt:conscrypt-openjdk-uber} on its class or module path and its native library loads here.
 * Found by reflection, so the core neither needs it to compile against nor to run; the provider is used directly
 * and not installed for the whole JVM, so the application's own TLS and crypto stay as they were.
 */
final class Conscrypt {
    private static final Logger LOG = LoggerFactory.getLogger(Conscrypt.class);
    /** Conscrypt's name for ChaCha20-Poly1305. */
    static final String CHACHA20_POLY1305 = "ChaCha20/Poly1305/NoPadding";

    private Conscrypt() {
    }

    /** The provider, or empty if Conscrypt is missing or unusable on this machine (looked up once). */
    static Optional<Provider> provider() {
        return Holder.PROVIDER;
    }

    private static final class Holder {
        static final Optional<Provider> PROVIDER = load();
    }

    private static Optional<Provider> load() {
        try {
            Class<?> conscrypt = Class.forName("org.conscrypt.Conscrypt");
            if (!(Boolean) conscrypt.getMethod("isAvailable").invoke(null)) {
                LOG.debug("Conscrypt is present but its native library does not load here");
                return Optional.empty();
            }
            return Optional.of((Provider) conscrypt.getMethod("newProvider").invoke(null));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.debug("Conscrypt is present but unusable: {}", e.toString());
            return Optional.empty();
        }
    }
}
