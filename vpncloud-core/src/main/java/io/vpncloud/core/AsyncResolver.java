package io.vpncloud.core;

import io.vpncloud.api.HostResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Placeholder: asynchronous name resolution on its own thread (replaced by the full version). */
final class AsyncResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncResolver.class);

    private final HostResolver resolver;
    private final Runnable onResolved;
    private final ExecutorService thread;
    private final Map<String, InetAddress> answers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();

    AsyncResolver(HostResolver resolver, InstantSource clock, String threadName, Runnable onResolved) {
        this.resolver = resolver;
        this.onResolved = onResolved;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    Optional<InetAddress> address(String host) {
        InetAddress known = answers.get(host);
        if (known == null && inFlight.putIfAbsent(host, Boolean.TRUE) == null) {
            thread.execute(() -> lookUp(host));
        }
        return Optional.ofNullable(known);
    }

    private void lookUp(String host) {
        try {
            answers.put(host, resolver.resolve(host).get(0));
            onResolved.run();
        } catch (UnknownHostException | RuntimeException e) {
            LOG.warn("cannot resolve {}", host);
        } finally {
            inFlight.remove(host);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
