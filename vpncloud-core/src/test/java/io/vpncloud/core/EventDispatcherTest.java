package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class EventDispatcherTest {

    @Test
    void aBlockedListenerDoesNotBlockFireAndOrderIsKept() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<VpnEvent> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allSeen = new CountDownLatch(100);
        VpnListener blocking = event -> {
            awaitQuietly(release);
            seen.add(event);
            allSeen.countDown();
        };
        try (EventDispatcher dispatcher = new EventDispatcher(List.of(blocking), "test-events")) {
            List<VpnEvent> fired = events(100);
            fired.forEach(dispatcher::fire); // would hang (and time out) if fire waited for the listener
            assertTrue(seen.isEmpty(), "the listener is still blocked");
            release.countDown();
            assertTrue(allSeen.await(10, TimeUnit.SECONDS));
            assertEquals(fired, seen);
        }
    }

    @Test
    void listenersAreNeverCalledOnTheCallersThread() throws InterruptedException {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(10);
        VpnListener recording = event -> {
            threads.add(Thread.currentThread());
            done.countDown();
        };
        try (EventDispatcher dispatcher = new EventDispatcher(List.of(recording), "test-events")) {
            events(10).forEach(dispatcher::fire);
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
        assertEquals(1, threads.size());
        Thread listenerThread = threads.iterator().next();
        assertFalse(listenerThread == Thread.currentThread());
        assertEquals("test-events", listenerThread.getName());
        assertTrue(listenerThread.isDaemon());
    }

    @Test
    void aThrowingListenerDoesNotStopDelivery() throws InterruptedException {
        List<VpnEvent> thrownOn = Collections.synchronizedList(new ArrayList<>());
        List<VpnEvent> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(5);
        VpnListener throwing = event -> {
            thrownOn.add(event);
            throw new IllegalStateException("listener bug");
        };
        VpnListener recording = event -> {
            seen.add(event);
            done.countDown();
        };
        try (EventDispatcher dispatcher = new EventDispatcher(List.of(throwing, recording), "test-events")) {
            List<VpnEvent> fired = events(5);
            fired.forEach(dispatcher::fire);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(fired, seen);
            assertEquals(fired, thrownOn);
        }
    }

    @Test
    void overflowIsCountedInsteadOfBlocking() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        VpnListener blocking = event -> {
            entered.countDown();
            awaitQuietly(release);
        };
        try (EventDispatcher dispatcher = new EventDispatcher(List.of(blocking), "test-events")) {
            dispatcher.fire(events(1).get(0));
            assertTrue(entered.await(10, TimeUnit.SECONDS)); // the first event left the queue
            events(EventDispatcher.CAPACITY + 7).forEach(dispatcher::fire);
            assertEquals(7, dispatcher.droppedEvents());
            release.countDown();
        }
    }

    @Test
    void closeDeliversWhatIsQueued() {
        List<VpnEvent> seen = Collections.synchronizedList(new ArrayList<>());
        EventDispatcher dispatcher = new EventDispatcher(List.of(seen::add), "test-events");
        List<VpnEvent> fired = events(50);
        fired.forEach(dispatcher::fire);
        dispatcher.close();
        assertEquals(fired, seen);
        dispatcher.fire(events(1).get(0));
        assertEquals(50, seen.size(), "nothing is delivered after close");
    }

    @Test
    void aListenerMayCloseTheDispatcher() throws InterruptedException {
        List<VpnEvent> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch closedByListener = new CountDownLatch(1);
        EventDispatcher[] holder = new EventDispatcher[1];
        VpnListener closing = event -> {
            seen.add(event);
            holder[0].close(); // as a listener that stops the node would; must not wait for itself
            closedByListener.countDown();
        };
        holder[0] = new EventDispatcher(List.of(closing), "test-events");
        holder[0].fire(events(1).get(0));
        assertTrue(closedByListener.await(10, TimeUnit.SECONDS));
        holder[0].fire(events(2).get(1));
        holder[0].close();
        assertEquals(events(1), seen);
    }

    @Test
    void closeGivesUpOnAStuckListenerAndInterruptsIt() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        VpnListener stuck = event -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        };
        EventDispatcher dispatcher = new EventDispatcher(List.of(stuck), "test-events");
        dispatcher.fire(events(1).get(0));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        dispatcher.close(); // returns after its bounded wait
        assertTrue(interrupted.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aSlowListenerIsNamedInAWarning() {
        VpnListener slow = new VpnListener() {
            @Override
            public void onEvent(VpnEvent event) {
            }

            @Override
            public String toString() {
                return "the-slow-listener";
            }
        };
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // A zero threshold makes every call "slow", so the test does not depend on how long a call takes.
            EventDispatcher dispatcher = new EventDispatcher(List.of(slow), "test-events", Duration.ZERO);
            dispatcher.fire(events(1).get(0));
            dispatcher.close(); // waits for the delivery, and so for its warning
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("listener the-slow-listener took"), log);
    }

    private static List<VpnEvent> events(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> (VpnEvent) new VpnEvent.RoleChanged(
                        IpRange.parse("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)),
                        VpnEvent.Role.ACTIVE))
                .toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
