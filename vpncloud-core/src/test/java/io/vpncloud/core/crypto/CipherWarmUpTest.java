package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CipherWarmUpTest {
    @Test
    void warmsEveryAlgorithmAndProviderThroughTheRealCipherPair() {
        // Each round is checked: a pair that did not decrypt its own datagrams would throw.
        for (Algorithm algorithm : new Algorithm[] {Algorithm.AES128, Algorithm.AES256, Algorithm.CHACHA20}) {
            for (AeadProvider provider : AeadProvider.available()) {
                assertDoesNotThrow(() -> CipherWarmUp.warm(algorithm, provider, 200), algorithm + " " + provider);
            }
        }
    }

    @Test
    void aTimeBoundEndsTheWarmUpEarly() {
        assertEquals(300, CipherWarmUp.warm(Algorithm.AES128, AeadProvider.JDK, 300, Long.MAX_VALUE));
        // The bound is checked before every hundredth round, the first included.
        assertEquals(0, CipherWarmUp.warm(Algorithm.AES128, AeadProvider.JDK, 300, 0));
    }
}
