package io.vpncloud.core;

import io.vpncloud.api.HostResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class AsyncResolverTest {
    private static final String HOST = "peer.example";
    private static final Duration MS = Duration.ofMillis(1);

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger changes = new AtomicInteger();
    /** What the scripted resolver answers; null: the name does not resolve. */
    private final AtomicReference<InetAddress> answer = new AtomicReference<>();

    private final HostResolver scripted = host -> {
        lookups.incrementAndGet();
        InetAddress address = answer.get();
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return List.of(address);
    };

    private AsyncResolver resolver(HostResolver hostResolver) {
        return new AsyncResolver(hostResolver, clock, "test-resolver", changes::incrementAndGet);
    }

    @Test
    void literalsNeverReachTheResolver() {
        HostResolver forbidden = host -> {
            throw new AssertionError("looked up " + host);
        };
        try (AsyncResolver resolver = resolver(forbidden)) {
            assertEquals(Optional.of(address("10.0.0.1")), resolver.address("10.0.0.1"));
            assertEquals(Optional.of(address("fd00::1")), resolver.address("fd00::1"));
            assertEquals(Optional.of(address("::ffff:10.1.2.3")), resolver.address("::ffff:10.1.2.3"));
        }
        assertEquals(0, changes.get());
    }

    @Test
    void aBlockedResolverDoesNotBlockAddressAndIsNotAskedTwice() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch resolved = new CountDownLatch(1);
        HostResolver blocked = host -> {
            lookups.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(address("192.0.2.7"));
        };
        try (AsyncResolver resolver = new AsyncResolver(blocked, clock, "test-resolver", resolved::countDown)) {
            for (int i = 0; i < 1000; i++) {
                assertEquals(Optional.empty(), resolver.address(HOST)); // would hang if address() waited
                clock.advance(Duration.ofSeconds(1)); // even once due again, one lookup at a time
            }
            release.countDown();
            assertTrue(resolved.await(10, TimeUnit.SECONDS));
            assertEquals(Optional.of(address("192.0.2.7")), resolver.address(HOST));
            assertEquals(1, lookups.get());
        }
    }

    @Test
    void failuresBackOffExponentiallyUpToAMinute() throws InterruptedException {
        try (AsyncResolver resolver = resolver(scripted)) {
            assertEquals(Optional.empty(), resolver.address(HOST));
            resolver.awaitLookups();
            assertEquals(1, lookups.get());
            long[] expectedWaitsSeconds = {1, 2, 4, 8, 16, 32, 60, 60, 60};
            for (long wait : expectedWaitsSeconds) {
                int before = lookups.get();
                clock.advance(Duration.ofSeconds(wait).minus(MS));
                assertEquals(Optional.empty(), resolver.address(HOST));
                resolver.awaitLookups();
                assertEquals(before, lookups.get(), "retried before " + wait + " s");
                clock.advance(MS);
                resolver.address(HOST);
                resolver.awaitLookups();
                assertEquals(before + 1, lookups.get(), "not retried after " + wait + " s");
            }
        }
        assertEquals(0, changes.get());
    }

    @Test
    void aFailingNameWarnsOnlyWhenTheBackOffGrows() throws InterruptedException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (AsyncResolver resolver = resolver(scripted)) {
            for (int i = 0; i < 30; i++) { // 30 failures, 20 of them at the one-minute cap
                resolver.address(HOST);
                resolver.awaitLookups();
                clock.advance(AsyncResolver.MAX_BACKOFF);
            }
        } finally {
            System.setErr(original);
        }
        assertEquals(30, lookups.get());
        long warnings = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("WARN") && line.contains("cannot resolve " + HOST)).count();
        assertEquals(7, warnings, "at 1, 2, 4, 8, 16, 32 and 60 s:\n" + captured);
    }

    @Test
    void successResetsTheBackOffAndRefreshesAfterFiveMinutes() throws InterruptedException {
        try (AsyncResolver resolver = resolver(scripted)) {
            resolver.address(HOST);
            resolver.awaitLookups();
            clock.advance(Duration.ofSeconds(1));
            resolver.address(HOST);
            resolver.awaitLookups(); // two failures: the next wait would be 4 s
            answer.set(address("192.0.2.1"));
            clock.advance(Duration.ofSeconds(2));
            resolver.address(HOST);
            resolver.awaitLookups();
            assertEquals(3, lookups.get());
            assertEquals(Optional.of(address("192.0.2.1")), resolver.address(HOST));
            assertEquals(1, changes.get());

            clock.advance(AsyncResolver.REFRESH.minus(MS));
            resolver.address(HOST);
            resolver.awaitLookups();
            assertEquals(3, lookups.get(), "refreshed early");
            clock.advance(MS);
            resolver.address(HOST);
            resolver.awaitLookups();
            assertEquals(4, lookups.get(), "not refreshed");
            assertEquals(1, changes.get(), "the same answer is no change");

            // The refresh fails: the last good answer stays, and the retry starts again at one second.
            answer.set(null);
            clock.advance(AsyncResolver.REFRESH);
            resolver.address(HOST);
            resolver.awaitLookups();
            assertEquals(5, lookups.get());
            assertEquals(Optional.of(address("192.0.2.1")), resolver.address(HOST));
            answer.set(address("192.0.2.2"));
            clock.advance(Duration.ofSeconds(1));
            resolver.address(HOST);
            resolver.awaitLookups();
            assertEquals(6, lookups.get());
            assertEquals(Optional.of(address("192.0.2.2")), resolver.address(HOST));
            assertEquals(2, changes.get());
        }
    }

    @Test
    void eachNameHasItsOwnBackOff() throws InterruptedException {
        AtomicInteger goodLookups = new AtomicInteger();
        HostResolver oneBadName = host -> {
            if (host.equals("bad.example")) {
                throw new UnknownHostException(host);
            }
            goodLookups.incrementAndGet();
            return List.of(address("192.0.2.9"));
        };
        try (AsyncResolver resolver = resolver(oneBadName)) {
            resolver.address("bad.example");
            resolver.address("good.example");
            resolver.awaitLookups();
            assertEquals(Optional.empty(), resolver.address("bad.example"));
            assertEquals(Optional.of(address("192.0.2.9")), resolver.address("good.example"));
            clock.advance(Duration.ofSeconds(1));
            resolver.address("good.example");
            resolver.awaitLookups();
            assertEquals(1, goodLookups.get(), "the good name is not looked up on the bad one's schedule");
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
