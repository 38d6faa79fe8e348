package io.vpncloud.core;

import io.vpncloud.api.VpnEvent;
import io.vpncloud.api.VpnListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Hands events to the listeners; a failing listener is logged and does not disturb the node. */
final class EventDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final List<VpnListener> listeners;

    EventDispatcher(List<VpnListener> listeners, String threadName) {
        this.listeners = List.copyOf(listeners);
    }

    void close() {
    }

    void fire(VpnEvent event) {
        LOG.debug("event {}", event);
        for (VpnListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed on {}: {}", listener, event, e.toString());
            }
        }
    }
}
