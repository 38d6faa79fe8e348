package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.util.List;
import org.junit.jupiter.api.Test;

class CipherWarmUpTest {
    @Test
    void warmsEveryAlgorithmThroughTheRealCipherPair() {
        // Each round is checked: a pair that did not decrypt its own datagrams would throw.
        assertDoesNotThrow(() -> CipherWarmUp.warm(List.of(Algorithm.AES128, Algorithm.AES256, Algorithm.CHACHA20),
                200));
    }
}
