package io.vpncloud.api;

/**
 * Receives node events. Called on the node's housekeeping or receive thread: return quickly and do not
 * block; exceptions thrown here are logged and otherwise ignored.
 */
@FunctionalInterface
public interface VpnListener {
    void onEvent(VpnEvent event);
}
