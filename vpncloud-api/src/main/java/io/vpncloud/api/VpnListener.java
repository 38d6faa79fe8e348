package io.vpncloud.api;

/**
 * Receives node events. Each node calls its listeners on one event thread of its own, in the order the events
 * happened, never on a thread that carries packets or runs the node's control plane: a slow listener does not
 * stall the VPN, but it delays the events after it (a call over half a second is logged as a warning naming the
 * listener), and events beyond a bounded backlog are dropped and counted. Exceptions thrown here are logged and
 * otherwise ignored. A listener may call the node, for example {@code status()}.
 */
@FunctionalInterface
public interface VpnListener {
    /**
     * Called on the node's event thread for every event, in order.
     *
     * @param event what happened
     */
    void onEvent(VpnEvent event);
}
