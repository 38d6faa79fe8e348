package io.vpncloud.cli;

import java.util.Locale;
import java.util.Optional;

/**
 * The events a hook script is called on, with the reference's names (the script sees the name in {@code EVENT}).
 * The last four are vpncloud-java extensions for high availability.
 */
public enum HookEvent {
    /** A handshake with a peer starts. The reference fires it; vpncloud-java's node does not report it. */
    PEER_CONNECTING(false),
    /** A peer connected: {@code PEER}, {@code IFNAME}, {@code CLAIMS}, {@code NODE_ID}. */
    PEER_CONNECTED(true),
    /** A peer went away: {@code PEER}, {@code IFNAME}, {@code NODE_ID}, {@code REASON} (extension). */
    PEER_DISCONNECTED(true),
    /** The device was opened: {@code IFNAME}. */
    DEVICE_SETUP(true),
    /** The device was configured and {@code --ifup} ran: {@code IFNAME}. */
    DEVICE_CONFIGURED(true),
    /** The node runs: {@code IFNAME}. */
    VPN_STARTED(true),
    /** The node is shutting down: {@code IFNAME}. */
    VPN_SHUTDOWN(true),
    /** Extension: the peer that traffic for a range goes to changed: {@code RANGE}, {@code OLD_NODE_ID}, {@code NODE_ID}. */
    ROUTE_CHANGED(true),
    /** Extension: this node became active or standby for one of its claims: {@code RANGE}, {@code ROLE}. */
    ROLE_CHANGED(true),
    /** Extension: the health check failed and this node withdrew its claims: {@code CLAIMS}. */
    CLAIMS_WITHDRAWN(true),
    /** Extension: the health check passes again and this node claims again: {@code CLAIMS}. */
    CLAIMS_RESTORED(true);

    private final boolean fired;

    HookEvent(boolean fired) {
        this.fired = fired;
    }

    /** The name scripts see in {@code EVENT} and that {@code --hook EVENT:SCRIPT} takes. */
    public String eventName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether vpncloud-java ever calls hooks with this event. */
    public boolean isFired() {
        return fired;
    }

    /** All event names, comma-separated, for messages. */
    public static String names() {
        StringBuilder names = new StringBuilder();
        for (HookEvent event : values()) {
            names.append(names.length() > 0 ? ", " : "").append(event.eventName());
        }
        return names.toString();
    }

    /** The event with this name, if it is one. */
    public static Optional<HookEvent> byName(String name) {
        for (HookEvent event : values()) {
            if (event.eventName().equals(name.trim())) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }
}
