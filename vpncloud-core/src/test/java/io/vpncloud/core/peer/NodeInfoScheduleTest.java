package io.vpncloud.core.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeInfoScheduleTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration REFERENCE_TIMEOUT = Duration.ofSeconds(300);

    @Test
    void defaultKeepaliveFollowsTheReferenceFormula() {
        assertEquals(Duration.ofSeconds(90), NodeInfoSchedule.defaultKeepalive(Duration.ofSeconds(300)));
        assertEquals(Duration.ofSeconds(840), NodeInfoSchedule.defaultKeepalive(Duration.ofSeconds(1800)));
        assertEquals(Duration.ofSeconds(1), NodeInfoSchedule.defaultKeepalive(Duration.ofSeconds(122)));
        assertEquals(Duration.ofSeconds(1), NodeInfoSchedule.defaultKeepalive(Duration.ofSeconds(120)));
    }

    @Test
    void defaultKeepaliveWrapsBelow120SecondsAsTheReferencesUnsignedArithmeticDoes() {
        // 100 / 2 - 60 = -10, read as an unsigned 32-bit number
        assertEquals(Duration.ofSeconds(4_294_967_286L), NodeInfoSchedule.defaultKeepalive(Duration.ofSeconds(100)));
        assertEquals(Duration.ofSeconds(4_294_967_236L), NodeInfoSchedule.defaultKeepalive(Duration.ofMillis(500)));
    }

    @Test
    void referenceDefaultTimersGiveNinetySecondsWithOrWithoutPeers() {
        NodeInfoSchedule schedule = new NodeInfoSchedule(REFERENCE_TIMEOUT, null);

        assertEquals(Duration.ofSeconds(90), schedule.interval(REFERENCE_TIMEOUT));
        assertEquals(Duration.ofSeconds(90), schedule.interval(null));
        assertEquals(Duration.ofSeconds(90), schedule.referenceInterval(REFERENCE_TIMEOUT));
    }

    @Test
    void aPeerWithAShorterTimeoutShortensTheInterval() {
        NodeInfoSchedule schedule = new NodeInfoSchedule(REFERENCE_TIMEOUT, null);

        // 240 / 2 - 60 = 60 s, below a third (80 s)
        assertEquals(Duration.ofSeconds(60), schedule.interval(Duration.ofSeconds(240)));
        // 120 / 2 - 60 = 0, raised to 1 s by the reference
        assertEquals(Duration.ofSeconds(1), schedule.interval(Duration.ofSeconds(120)));
    }

    @Test
    void belowTwoMinutesTheReferenceTermWrapsAwayAndAThirdOfTheTimeoutTakesOver() {
        NodeInfoSchedule schedule = new NodeInfoSchedule(REFERENCE_TIMEOUT, null);

        // The reference would send every keepalive (90 s) to a peer that drops it after 60 s.
        assertEquals(Duration.ofSeconds(90), schedule.referenceInterval(Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(20), schedule.interval(Duration.ofSeconds(60)));
    }

    @Test
    void aLongConfiguredKeepaliveIsCappedAtAThirdOfTheAdvertisedTimeout() {
        NodeInfoSchedule schedule = new NodeInfoSchedule(Duration.ofSeconds(3600), Duration.ofSeconds(1000));

        assertEquals(Duration.ofSeconds(1000), schedule.referenceInterval(Duration.ofSeconds(3600)));
        assertEquals(Duration.ofSeconds(1000), schedule.interval(Duration.ofSeconds(3600)));
        assertEquals(Duration.ofSeconds(600), schedule.interval(Duration.ofSeconds(1800)));
    }

    @Test
    void advertisedTimeoutsAreReadAsUnsigned16BitSecondsByTheReferenceRule() {
        NodeInfoSchedule schedule = new NodeInfoSchedule(REFERENCE_TIMEOUT, Duration.ofDays(2));

        assertEquals(Duration.ofSeconds(65_535 / 2 - 60), schedule.referenceInterval(Duration.ofDays(1)));
    }

    @Test
    void subSecondKeepaliveIsUsedAsConfigured() {
        NodeInfoSchedule schedule = new NodeInfoSchedule(Duration.ofMillis(500), Duration.ofMillis(100));

        assertEquals(Duration.ofMillis(100), schedule.interval(Duration.ofMillis(500)));
        assertTrue(schedule.due(T0, Duration.ofMillis(500)), "first broadcast at once");
        schedule.sent(T0);
        assertFalse(schedule.due(T0.plusMillis(99), Duration.ofMillis(500)));
        assertTrue(schedule.due(T0.plusMillis(100), Duration.ofMillis(500)));
    }

    @Test
    void subSecondTimeoutWithoutKeepaliveSendsThreeTimesPerAdvertisedTimeout() {
        NodeInfoSchedule schedule = new NodeInfoSchedule(Duration.ofMillis(500), null);
        Duration advertised = Duration.ofMillis(500);

        schedule.sent(T0);

        assertEquals(T0.plusNanos(166_666_666), schedule.nextDue(T0, advertised));
        assertFalse(schedule.due(T0.plusMillis(166), advertised));
        assertTrue(schedule.due(T0.plusMillis(167), advertised));
    }

    @Test
    void aNewPeerWithAShortTimeoutMakesTheNextBroadcastDueSooner() {
        NodeInfoSchedule schedule = new NodeInfoSchedule(REFERENCE_TIMEOUT, null);
        schedule.sent(T0);

        assertFalse(schedule.due(T0.plusSeconds(30), REFERENCE_TIMEOUT));
        assertTrue(schedule.due(T0.plusSeconds(30), Duration.ofSeconds(60)));
        assertTrue(schedule.due(T0.plusSeconds(90), REFERENCE_TIMEOUT));
    }

    @Test
    void everyPeerHearsFromUsAtLeastTwiceWithinItsTimeout() {
        Duration advertised = Duration.ofMillis(750);
        NodeInfoSchedule schedule = new NodeInfoSchedule(Duration.ofSeconds(300), null);
        Instant lastSent = null;
        for (Instant now = T0; now.isBefore(T0.plusSeconds(10)); now = now.plusMillis(10)) {
            if (schedule.due(now, advertised)) {
                if (lastSent != null) {
                    assertTrue(Duration.between(lastSent, now).compareTo(advertised.dividedBy(2)) < 0);
                }
                schedule.sent(now);
                lastSent = now;
            }
        }
        assertTrue(lastSent.isAfter(T0.plusSeconds(9)));
    }
}
