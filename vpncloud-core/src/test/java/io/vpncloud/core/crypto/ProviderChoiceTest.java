package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The candidates, the override property and the measurement with real providers. */
class ProviderChoiceTest {
    @Test
    void theChallengerIsTheOtherOfConscryptAndTheJdk() {
        // Conscrypt is on the core's test path (AeadProviderTest).
        assertEquals(Optional.of(AeadProvider.CONSCRYPT), ProviderChoice.challengerFor(Algorithm.AES128));
        assertEquals(Optional.of(AeadProvider.CONSCRYPT), ProviderChoice.challengerFor(Algorithm.AES256));
        assertEquals(Optional.of(AeadProvider.JDK), ProviderChoice.challengerFor(Algorithm.CHACHA20));
    }

    @Test
    void equalTimesKeepTheDefaultWithRealProviders() {
        // A clock that never moves makes every round a tie: the real ciphers run (and are checked), and a tie must
        // keep the default.
        assertEquals(AeadProvider.CONSCRYPT, ProviderChoice.measure(Algorithm.CHACHA20, () -> 42));
        assertEquals(AeadProvider.JDK, ProviderChoice.measure(Algorithm.AES128, () -> 42));
    }

    private static final ProviderRace.Verdict WIN = new ProviderRace.Verdict(true, 31, 2.0, 1.0);
    private static final ProviderRace.Verdict LOSS = new ProviderRace.Verdict(false, 31, 0.8, 0.1);

    @Test
    void aChallengerMustWinTwiceWithTheDefaultWarmedInBetween() {
        List<String> calls = new ArrayList<>();
        Iterator<ProviderRace.Verdict> verdicts = List.of(WIN, WIN).iterator();
        assertTrue(ProviderChoice.confirmedWin(() -> {
            calls.add("race");
            return verdicts.next();
        }, () -> calls.add("warm")));
        assertEquals(List.of("race", "warm", "race"), calls);
    }

    @Test
    void aWinThatDoesNotHoldUpKeepsTheDefault() {
        Iterator<ProviderRace.Verdict> verdicts = List.of(WIN, LOSS).iterator();
        assertFalse(ProviderChoice.confirmedWin(verdicts::next, () -> { }));
        assertFalse(verdicts.hasNext());
    }

    @Test
    void aLossIsNotRacedAgain() {
        List<String> calls = new ArrayList<>();
        assertFalse(ProviderChoice.confirmedWin(() -> {
            calls.add("race");
            return LOSS;
        }, () -> calls.add("warm")));
        assertEquals(List.of("race"), calls);
    }

    @Test
    void noOverrideMeansMeasure() {
        assertEquals(Map.of(), ProviderChoice.parseOverride(null));
        assertEquals(Map.of(), ProviderChoice.parseOverride(" "));
        assertEquals(Map.of(), ProviderChoice.parseOverride("auto"));
    }

    @Test
    void oneProviderNameSetsEveryAlgorithm() {
        assertEquals(Map.of(Algorithm.AES128, AeadProvider.JDK, Algorithm.AES256, AeadProvider.JDK,
                Algorithm.CHACHA20, AeadProvider.JDK), ProviderChoice.parseOverride("jdk"));
        assertEquals(AeadProvider.BOUNCY_CASTLE, ProviderChoice.parseOverride("Bouncy-Castle").get(Algorithm.AES256));
    }

    @Test
    void pairsSetSingleAlgorithmsInTheReferencesSpellings() {
        assertEquals(Map.of(Algorithm.CHACHA20, AeadProvider.JDK, Algorithm.AES128, AeadProvider.CONSCRYPT),
                ProviderChoice.parseOverride("chacha20_poly1305=jdk, aes_128=conscrypt"));
    }

    @Test
    void badValuesNameTheProperty() {
        assertBad("chacha20=nope", "unknown provider 'nope'");
        assertBad("blowfish=jdk", "blowfish");
        assertBad("plain=jdk", "plaintext has no AEAD provider");
        assertBad("aes128=jdk=conscrypt", "'aes128=jdk=conscrypt' is not algorithm=provider");
        assertBad("aes128=jdk,", "'' is not algorithm=provider");
        assertBad("fast", "unknown provider 'fast'");
    }

    private static void assertBad(String value, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProviderChoice.parseOverride(value));
        assertTrue(e.getMessage().startsWith("-Dvpncloud.aead.provider=" + value + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
