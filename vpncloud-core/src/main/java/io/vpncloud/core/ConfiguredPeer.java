package io.vpncloud.core;

import io.vpncloud.api.HostResolver;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.peer.ReconnectSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.UnknownHostException;
import java.time.Instant;

/**
 * A peer given with {@code -c host:port}: connected to at start and reconnected whenever it is lost, with the
 * reference's back-off; its host name is resolved again every 300 s.
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

    /** Called every tick under the control plane's lock. */
    void tick(Instant now, ControlPlane control, HostResolver resolver) {
        if (resolved == null || schedule.resolveDue(now)) {
            resolve(now, resolver);
        }
        if (resolved == null) {
            return;
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

    private void resolve(Instant now, HostResolver resolver) {
        schedule.resolved(now);
        try {
            PeerAddress address = new PeerAddress(resolver.resolve(hostPort.host()).get(0), hostPort.port());
            if (!address.equals(resolved)) {
                LOG.debug("peer {} resolves to {}", hostPort, address);
            }
            resolved = address;
        } catch (UnknownHostException e) {
            LOG.warn("cannot resolve peer {}; trying again later", hostPort);
        }
    }

    @Override
    public String toString() {
        return hostPort.toString();
    }
}
