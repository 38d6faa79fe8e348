package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vpncloud.core.wire.AlgorithmSpeed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlgorithmSpeedsTest {
    private static AlgorithmSpeed speed(Algorithm algorithm, float speed) {
        return new AlgorithmSpeed(algorithm.id(), speed);
    }

    private static final AlgorithmSpeed PLAIN = speed(Algorithm.PLAINTEXT, Float.POSITIVE_INFINITY);

    @Test
    void measuresEveryAllowedAlgorithmInOrderWithPlaintextFirst() {
        List<AlgorithmSpeed> speeds = AlgorithmSpeeds.measure(
                List.of(Algorithm.CHACHA20, Algorithm.PLAINTEXT, Algorithm.AES128, Algorithm.AES256),
                Duration.ofMillis(5), System::nanoTime);
        assertEquals(List.of(0, 3, 1, 2), speeds.stream().map(AlgorithmSpeed::algorithmId).toList());
        assertEquals(Float.POSITIVE_INFINITY, speeds.get(0).speed());
        for (AlgorithmSpeed speed : speeds.subList(1, 4)) {
            assertTrue(speed.speed() > 0 && Float.isFinite(speed.speed()), speed.toString());
        }
    }

    @Test
    void measuresWithoutPlaintextByDefault() {
        List<AlgorithmSpeed> speeds = AlgorithmSpeeds.measure(AlgorithmSpeeds.DEFAULT_ALLOWED);
        assertEquals(List.of(1, 2, 3), speeds.stream().map(AlgorithmSpeed::algorithmId).toList());
    }

    @Test
    void plaintextOnlyWhenBothAllowIt() {
        List<AlgorithmSpeed> withPlain = List.of(PLAIN, speed(Algorithm.AES128, 100));
        List<AlgorithmSpeed> withoutPlain = List.of(speed(Algorithm.AES128, 100));
        assertEquals(Optional.of(Algorithm.PLAINTEXT), AlgorithmSpeeds.choose(withPlain, withPlain));
        assertEquals(Optional.of(Algorithm.AES128), AlgorithmSpeeds.choose(withPlain, withoutPlain));
        assertEquals(Optional.of(Algorithm.AES128), AlgorithmSpeeds.choose(withoutPlain, withPlain));
    }

    @Test
    void choosesTheGreatestMinimumOfBothSpeeds() {
        List<AlgorithmSpeed> own = List.of(speed(Algorithm.AES128, 3000), speed(Algorithm.AES256, 2500),
                speed(Algorithm.CHACHA20, 1500));
        List<AlgorithmSpeed> peer = List.of(speed(Algorithm.AES128, 200), speed(Algorithm.AES256, 180),
                speed(Algorithm.CHACHA20, 900));
        // min: AES128 200, AES256 180, ChaCha20 900
        assertEquals(Optional.of(Algorithm.CHACHA20), AlgorithmSpeeds.choose(own, peer));
        assertEquals(Optional.of(Algorithm.CHACHA20), AlgorithmSpeeds.choose(peer, own), "both sides agree");
    }

    @Test
    void considersOnlyAlgorithmsBothList() {
        List<AlgorithmSpeed> own = List.of(speed(Algorithm.AES128, 3000), speed(Algorithm.AES256, 10));
        List<AlgorithmSpeed> peer = List.of(speed(Algorithm.AES256, 20), speed(Algorithm.CHACHA20, 5000),
                new AlgorithmSpeed(9, 99999));
        assertEquals(Optional.of(Algorithm.AES256), AlgorithmSpeeds.choose(own, peer));
    }

    @Test
    void nothingInCommonGivesEmpty() {
        assertEquals(Optional.empty(), AlgorithmSpeeds.choose(List.of(speed(Algorithm.AES128, 1)),
                List.of(speed(Algorithm.CHACHA20, 1))));
        assertEquals(Optional.empty(), AlgorithmSpeeds.choose(List.of(PLAIN), List.of(speed(Algorithm.AES128, 1))));
        assertEquals(Optional.empty(), AlgorithmSpeeds.choose(List.of(), List.of()));
    }

    @Test
    void tieGoesToTheFirstInOwnOrder() {
        List<AlgorithmSpeed> own = List.of(speed(Algorithm.AES256, 100), speed(Algorithm.AES128, 100));
        List<AlgorithmSpeed> peer = List.of(speed(Algorithm.AES128, 500), speed(Algorithm.AES256, 500));
        assertEquals(Optional.of(Algorithm.AES256), AlgorithmSpeeds.choose(own, peer));
    }
}
