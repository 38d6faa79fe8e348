package io.vpncloud.cli;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Calls the {@code --hook} scripts as the reference does: {@code sh -c SCRIPT} with {@code EVENT} and the event's
 * variables in the environment, without waiting for the script. Scripts are started one after the other on a
 * thread of their own, so the node's threads never wait for a process and scripts start in event order.
 */
public final class HookRunner implements VpnListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final CliConfig.Hooks hooks;
    private final Supplier<String> interfaceName;
    private final Function<PeerAddress, List<IpRange>> peerClaims;
    private final ExecutorService starter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vpncloud-hooks");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * @param hooks         the configured scripts
     * @param interfaceName the device name for {@code IFNAME}, asked when a script starts
     * @param peerClaims    a connected peer's claims for {@code CLAIMS}, asked when a script starts
     */
    public HookRunner(CliConfig.Hooks hooks, Supplier<String> interfaceName,
                      Function<PeerAddress, List<IpRange>> peerClaims) {
        this.hooks = hooks;
        this.interfaceName = interfaceName;
        this.peerClaims = peerClaims;
    }

    /** Runs the script for {@code event}, if one is configured, with these variables besides EVENT and IFNAME. */
    public void fire(HookEvent event, Map<String, String> variables) {
        fire(event, () -> variables);
    }

    /** Maps the node's events to the reference's hook events (and the two extensions). */
    @Override
    public void onEvent(VpnEvent event) {
        Map<String, String> vars = variables(event);
        if (event instanceof VpnEvent.PeerConnected connected) {
            // CLAIMS comes from the node's status, read on the starter thread, never on the node's own thread.
            fire(HookEvent.PEER_CONNECTED, () -> withClaims(vars, peerClaims.apply(connected.address())));
        } else {
            fire(eventOf(event), vars);
        }
    }

    private void fire(HookEvent event, Supplier<Map<String, String>> variables) {
        Optional<String> script = hooks.scriptFor(event.eventName());
        if (script.isEmpty()) {
            return;
        }
        try {
            starter.execute(() -> start(event, script.get(), variables.get()));
        } catch (RejectedExecutionException e) {
            LOG.debug("hook for {} not run: shutting down", event.eventName());
        }
    }

    /** The hook event a node event maps to. */
    static HookEvent eventOf(VpnEvent event) {
        if (event instanceof VpnEvent.PeerConnected) {
            return HookEvent.PEER_CONNECTED;
        } else if (event instanceof VpnEvent.PeerDisconnected) {
            return HookEvent.PEER_DISCONNECTED;
        } else if (event instanceof VpnEvent.RouteOwnerChanged) {
            return HookEvent.ROUTE_CHANGED;
        } else if (event instanceof VpnEvent.ClaimsWithdrawn) {
            return HookEvent.CLAIMS_WITHDRAWN;
        } else if (event instanceof VpnEvent.ClaimsRestored) {
            return HookEvent.CLAIMS_RESTORED;
        }
        return HookEvent.ROLE_CHANGED;
    }

    /**
     * The variables of a node event, with the reference's names: {@code PEER} (address as {@code a.b.c.d:port}),
     * {@code NODE_ID} (32 hex digits); the extensions add {@code REASON}, {@code RANGE}, {@code OLD_NODE_ID},
     * {@code ROLE}, and {@code CLAIMS} (this node's ranges, separated by spaces) for withdrawn and restored claims.
     */
    static Map<String, String> variables(VpnEvent event) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (event instanceof VpnEvent.PeerConnected e) {
            vars.put("PEER", e.address().toString());
            vars.put("NODE_ID", e.nodeId().toString());
        } else if (event instanceof VpnEvent.PeerDisconnected e) {
            vars.put("PEER", e.address().toString());
            vars.put("NODE_ID", e.nodeId().toString());
            vars.put("REASON", e.reason().name().toLowerCase(Locale.ROOT));
        } else if (event instanceof VpnEvent.RouteOwnerChanged e) {
            vars.put("RANGE", e.range().toString());
            vars.put("OLD_NODE_ID", e.oldOwner().map(NodeId::toString).orElse(""));
            vars.put("NODE_ID", e.newOwner().map(NodeId::toString).orElse(""));
        } else if (event instanceof VpnEvent.RoleChanged e) {
            vars.put("RANGE", e.range().toString());
            vars.put("ROLE", e.role().name().toLowerCase(Locale.ROOT));
        } else if (event instanceof VpnEvent.ClaimsWithdrawn e) {
            return withClaims(vars, e.ranges());
        } else if (event instanceof VpnEvent.ClaimsRestored e) {
            return withClaims(vars, e.ranges());
        }
        return vars;
    }

    /** Adds {@code CLAIMS}: the peer's ranges separated by spaces, as the reference. */
    static Map<String, String> withClaims(Map<String, String> variables, List<IpRange> claims) {
        Map<String, String> vars = new LinkedHashMap<>(variables);
        vars.put("CLAIMS", claims.stream().map(IpRange::toString).collect(Collectors.joining(" ")));
        return vars;
    }

    private void start(HookEvent event, String script, Map<String, String> variables) {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = builder.environment();
        env.putAll(variables);
        env.put("IFNAME", interfaceName.get());
        env.put("EVENT", event.eventName());
        LOG.debug("running hook for {}: {} with {}", event.eventName(), script, variables);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            running.add(process);
            process.onExit().thenAccept(done -> {
                running.remove(done);
                if (done.exitValue() != 0) {
                    LOG.warn("hook for {} exited with status {}", event.eventName(), done.exitValue());
                }
            });
        } catch (IOException e) {
            LOG.error("cannot run hook for {}: {}", event.eventName(), e.getMessage());
        }
    }

    /**
     * Starts the scripts already asked for, then waits (at most 10 s) for the running ones to finish, so that a
     * {@code vpn_shutdown} script runs before the process exits.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        starter.shutdown();
        try {
            if (!starter.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("hook scripts still being started at shutdown");
            }
            for (Process process : List.copyOf(running)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    LOG.warn("hook script {} still runs at shutdown", process.pid());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
