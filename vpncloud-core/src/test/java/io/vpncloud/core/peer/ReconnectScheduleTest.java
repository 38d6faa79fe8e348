package io.vpncloud.core.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconnectScheduleTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void attemptsEverySecondThenDoublesAfterEveryTenFailures() {
        List<Long> attemptSeconds = attemptTimes(new ReconnectSchedule(T0), 25);

        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L,
                        11L, 13L, 15L, 17L, 19L, 21L, 23L, 25L, 27L, 29L,
                        33L, 37L, 41L, 45L, 49L),
                attemptSeconds);
    }

    @Test
    void intervalStopsGrowingAtOneHour() {
        ReconnectSchedule schedule = new ReconnectSchedule(T0);
        List<Long> times = attemptTimes(schedule, 200);

        assertEquals(3600, times.get(199) - times.get(198));
        assertEquals(Duration.ofSeconds(3600), schedule.interval());
        // 1, 2, 4, ..., 2048 s for ten attempts each, then 3600 s
        assertEquals(2048, times.get(119) - times.get(118));
        assertEquals(3600, times.get(120) - times.get(119));
    }

    @Test
    void onlyDueOnceTheIntervalHasPassed() {
        ReconnectSchedule schedule = new ReconnectSchedule(T0);
        assertTrue(schedule.attemptDue(T0));
        schedule.attempted(T0);

        assertFalse(schedule.attemptDue(T0.plusMillis(999)));
        assertTrue(schedule.attemptDue(T0.plusSeconds(1)));
    }

    @Test
    void connectingStopsAttemptsAndLosingTheConnectionRetriesAtOnceWithoutBackOff() {
        ReconnectSchedule schedule = new ReconnectSchedule(T0);
        attemptTimes(schedule, 35);
        assertEquals(Duration.ofSeconds(8), schedule.interval());

        schedule.connected();
        assertFalse(schedule.attemptDue(T0.plusSeconds(100_000)));

        Instant lost = T0.plusSeconds(100_000);
        schedule.disconnected(lost);
        assertTrue(schedule.attemptDue(lost));
        schedule.attempted(lost);
        assertTrue(schedule.attemptDue(lost.plusSeconds(1)));
        assertEquals(Duration.ofSeconds(1), schedule.interval());
    }

    /** Attempts whenever due, ticking every 100 ms; returns the seconds after T0 of the first {@code count}. */
    private static List<Long> attemptTimes(ReconnectSchedule schedule, int count) {
        List<Long> times = new ArrayList<>();
        Instant now = T0;
        while (times.size() < count) {
            if (schedule.attemptDue(now)) {
                schedule.attempted(now);
                times.add(Duration.between(T0, now).toSeconds());
                now = schedule.nextAttempt().minusMillis(100);
            }
            now = now.plusMillis(100);
        }
        return times;
    }
}
