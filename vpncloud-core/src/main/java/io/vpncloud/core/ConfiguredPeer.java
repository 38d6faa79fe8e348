package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.peer.ReconnectSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * A peer given with {@code -c host:port}: connected to at start and reconnected whenever it is lost, with the
 * reference's back-off. Its host name is resolved by the {@link AsyncResolver} off the control thread (and again
 * every 300 s there); until it has an answer the peer simply waits. Control thread only.
 */
final class ConfiguredPeer {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredPeer.class);

    private final HostPort hostPort;
    private final ReconnectSchedule schedule;
    private PeerAddress resolved;

    ConfiguredPeer(HostPort hostPort, Instant now) {
        this.hostPort = hostPort;
        this.schedule = new ReconnectSchedule(now);
    }

    /** Called every tick on the control thread; never waits for the name to resolve. */
    void tick(Instant now, ControlPlane control, AsyncResolver resolver) {
        Optional<InetAddress> address = resolver.address(hostPort.host());
        if (address.isEmpty()) {
            return;
        }
        if (resolved == null || !resolved.address().equals(address.get())) {
            resolved = new PeerAddress(address.get(), hostPort.port());
            LOG.debug("peer {} resolves to {}", hostPort, resolved);
        }
        boolean connected = control.isConnected(resolved);
        if (connected && !schedule.isConnected()) {
            schedule.connected();
        } else if (!connected && schedule.isConnected()) {
            schedule.disconnected(now);
        }
        if (schedule.attemptDue(now)) {
            schedule.attempted(now);
            control.connect(resolved, true);
        }
    }

    @Override
    public String toString() {
        return hostPort.toString();
    }
}
