package io.vpncloud.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class HaDemoTest {

    @Test
    void theClientFailsOverAfterACrashAndAtOnceAfterAGracefulStopAndSpreadFlowsFollowTheHealthCheck() throws Exception {
        ByteArrayOutputStream timeline = new ByteArrayOutputStream();
        HaDemo.Settings settings = HaDemo.Settings.defaults();
        HaDemo.Result result = HaDemo.run(settings, new PrintStream(timeline, true, StandardCharsets.UTF_8));
        String text = timeline.toString(StandardCharsets.UTF_8);

        assertTrue(result.succeeded(), text);
        assertTrue(result.firstActive().isPresent(), text);
        Duration crash = result.crashFailover().orElseThrow();
        Duration graceful = result.gracefulFailover().orElseThrow();
        // After a crash the client must wait for silence; a graceful stop is announced and needs no timeout.
        assertTrue(graceful.compareTo(settings.peerTimeout()) < 0, text);
        assertTrue(crash.compareTo(graceful) > 0, text);
        assertTrue(text.contains("failover to " + (result.firstActive().get().equals("server-a") ? "server-b" : "server-a")),
                text);

        SpreadAndHealthDemo.Result spread = result.spreadAndHealth().orElseThrow();
        assertTrue(spread.bothServersUsed() && spread.flowsStayed(), text);
        // The claim goes only after `fall` failed checks, and comes back only after `rise` passed ones.
        Duration interval = settings.keepalive();
        Duration withdrawal = spread.withdrawal().orElseThrow();
        Duration restoration = spread.restoration().orElseThrow();
        assertTrue(withdrawal.compareTo(interval.multipliedBy(SpreadAndHealthDemo.FALL - 1)) >= 0, text);
        assertTrue(restoration.compareTo(interval.multipliedBy(SpreadAndHealthDemo.RISE - 1)) >= 0, text);
    }
}
