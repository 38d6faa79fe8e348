package io.vpncloud.core;

import io.vpncloud.api.HostResolver;
import io.vpncloud.api.IpLiteral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves host names on its own thread, so that a name server that does not answer delays nobody. Answers are
 * cached and refreshed every {@link #REFRESH} (as the reference re-resolves its peers); a name that fails is
 * retried after 1 s, 2 s, 4 s ... up to {@link #MAX_BACKOFF}, and the last good answer is kept meanwhile. Address
 * literals are answered at once and never reach the resolver.
 */
final class AsyncResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncResolver.class);

    static final Duration REFRESH = Duration.ofSeconds(300);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final HostResolver resolver;
    private final InstantSource clock;
    private final Runnable onResolved;
    private final ExecutorService lookups;
    /** Written by the resolver thread (results) and by callers of address() (marking a lookup as started). */
    private final ConcurrentHashMap<String, HostState> hosts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    AsyncResolver(HostResolver resolver, InstantSource clock, String threadName, Runnable onResolved) {
        this.resolver = resolver;
        this.clock = clock;
        this.onResolved = onResolved;
        this.lookups = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The address of {@code host} as far as known now; never blocks. Starts a lookup when none is cached, when the
     * refresh is due or when the back-off after a failure has passed; {@code onResolved} tells when an answer
     * changed.
     */
    Optional<InetAddress> address(String host) {
        Optional<InetAddress> literal = IpLiteral.parse(host);
        if (literal.isPresent()) {
            return literal;
        }
        Instant now = clock.instant();
        HostState state = hosts.computeIfAbsent(host, h -> HostState.unknown(now));
        if (!closed && state.lookupDue(now) && hosts.replace(host, state, state.withLookupRunning())) {
            try {
                lookups.execute(() -> lookup(host));
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }
        return state.answer();
    }

    /** Stops the resolver thread; a lookup still running is abandoned (a blocked name server can't be hurried). */
    @Override
    public void close() {
        closed = true;
        lookups.shutdownNow();
    }

    /** Waits until the lookups started so far have finished; for tests. */
    void awaitLookups() throws InterruptedException {
        try {
            lookups.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("resolver thread did not finish its lookups", e);
        }
    }

    private void lookup(String host) {
        Optional<InetAddress> found = Optional.empty();
        String failure = null;
        try {
            List<InetAddress> addresses = resolver.resolve(host);
            if (addresses == null || addresses.isEmpty()) {
                failure = "no addresses";
            } else {
                found = Optional.of(addresses.get(0));
            }
        } catch (UnknownHostException e) {
            failure = "unknown host";
        } catch (Exception | AssertionError e) {
            failure = e.toString(); // a broken resolver is retried like a failing name
        }
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        HostState before = hosts.get(host);
        HostState after = found.isPresent() ? before.succeeded(found.get(), now) : before.failed(now);
        hosts.put(host, after);
        log(host, before, after, failure);
        if (!after.answer().equals(before.answer())) {
            try {
                onResolved.run();
            } catch (RuntimeException e) {
                LOG.warn("handling the new address of {} failed: {}", host, e.toString());
            }
        }
    }

    /** A failing name is warned about at the first failure and when the back-off grows, not at every retry. */
    private static void log(String host, HostState before, HostState after, String failure) {
        if (failure == null) {
            if (before.failures() > 0) {
                LOG.info("{} resolves again, to {}", host, after.answer().orElseThrow().getHostAddress());
            } else if (!after.answer().equals(before.answer())) {
                LOG.debug("{} resolves to {}", host, after.answer().orElseThrow().getHostAddress());
            }
            return;
        }
        Duration backoff = backoff(after.failures());
        if (after.failures() == 1 || backoff.compareTo(backoff(after.failures() - 1)) > 0) {
            LOG.warn("cannot resolve {} ({}){}; trying again in {} s", host, failure,
                    after.answer().map(a -> ", keeping " + a.getHostAddress()).orElse(""), backoff.toSeconds());
        } else {
            LOG.debug("cannot resolve {} ({}), {} times in a row", host, failure, after.failures());
        }
    }

    /** The wait after {@code failures} consecutive failures: 1 s, doubling, capped at a minute. */
    static Duration backoff(int failures) {
        if (failures >= 7) {
            return MAX_BACKOFF; // 2^6 s = 64 s is already over the cap; also keeps the shift small
        }
        Duration doubled = FIRST_BACKOFF.multipliedBy(1L << (failures - 1));
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    /** What is known about one host name; immutable, replaced as a whole. */
    private record HostState(Optional<InetAddress> answer, Instant due, int failures, boolean lookupRunning) {

        static HostState unknown(Instant now) {
            return new HostState(Optional.empty(), now, 0, false);
        }

        boolean lookupDue(Instant now) {
            return !lookupRunning && !now.isBefore(due);
        }

        HostState withLookupRunning() {
            return new HostState(answer, due, failures, true);
        }

        HostState succeeded(InetAddress address, Instant now) {
            return new HostState(Optional.of(address), now.plus(REFRESH), 0, false);
        }

        /** Keeps the last good answer. */
        HostState failed(Instant now) {
            int count = failures + 1;
            return new HostState(answer, now.plus(backoff(count)), count, false);
        }
    }
}
