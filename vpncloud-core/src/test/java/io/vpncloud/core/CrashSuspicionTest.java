package io.vpncloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vpncloud.core.CrashSuspicion.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that turns ICMP error reports and probes into a verdict, step by step on a clock the test moves. */
class CrashSuspicionTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMillis(50);

    @Test
    void aPeerThatAnswersProbesIsDeadWhenItStaysSilentAndOneMoreErrorComes() {
        CrashSuspicion suspicion = new CrashSuspicion(START, true, 0);
        suspicion.errorReported();
        assertEquals(List.of(Step.PROBE, Step.PROBE, Step.PROBE, Step.DEAD), run(suspicion, 4));
    }

    @Test
    void aSilentPeerWithoutFurtherErrorsStays() {
        assertEquals(List.of(Step.PROBE, Step.PROBE, Step.PROBE, Step.UNDECIDED),
                run(new CrashSuspicion(START, true, 0), 4));
    }

    @Test
    void anyDatagramFromThePeerEndsTheTestAtOnce() {
        CrashSuspicion suspicion = new CrashSuspicion(START, true, 0);
        suspicion.errorReported();
        suspicion.errorReported();
        assertEquals(Step.PROBE, suspicion.step(START, false));
        assertEquals(Step.ALIVE, suspicion.step(START.plus(STEP), true));
    }

    @Test
    void aPeerThatAnswersNoProbeNeedsAnErrorForEveryProbe() {
        CrashSuspicion twoErrors = new CrashSuspicion(START, false, 0);
        twoErrors.errorReported();
        twoErrors.errorReported();
        assertEquals(Step.UNDECIDED, run(twoErrors, 4).get(3));

        CrashSuspicion threeErrors = new CrashSuspicion(START, false, 0);
        for (int i = 0; i < CrashSuspicion.PROBES; i++) {
            threeErrors.errorReported();
        }
        assertEquals(Step.DEAD, run(threeErrors, 4).get(3));
    }

    @Test
    void nothingHappensBetweenSteps() {
        CrashSuspicion suspicion = new CrashSuspicion(START, true, 0);
        assertEquals(Step.PROBE, suspicion.step(START, false));
        assertEquals(Step.WAIT, suspicion.step(START.plus(STEP).minusMillis(1), false));
        assertEquals(START.plus(STEP), suspicion.nextStep());
    }

    /** The first {@code steps} steps, each at its due time, with the peer silent throughout. */
    private static List<Step> run(CrashSuspicion suspicion, int steps) {
        List<Step> taken = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            taken.add(suspicion.step(suspicion.nextStep(), false));
        }
        return taken;
    }
}
