package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Peers that timed out and are to be dialled again, in the order they were lost. Redials have handshake slots of
 * their own (a few at a time, see {@link io.vpncloud.core.peer.HandshakeLimiter}); the rest wait here for a free
 * slot. So when hundreds of peers vanish at once (a crashed data centre), the redials neither take the slots that new
 * peers need nor get lost. The backlog is bounded; beyond it the oldest redial is forgotten (that peer can still
 * connect to us, or be learned again from another peer). Control thread only.
 */
final class Redials {
    static final int BACKLOG = 4096;

    private final Set<PeerAddress> waiting = new LinkedHashSet<>();

    /** Queues a redial of {@code address} (once). */
    void add(PeerAddress address) {
        if (waiting.size() >= BACKLOG && !waiting.contains(address)) {
            Iterator<PeerAddress> oldest = waiting.iterator();
            oldest.next();
            oldest.remove();
        }
        waiting.add(address);
    }

    /** Starts waiting redials, oldest first, while {@code plane} has redial slots free. */
    void startDue(ControlPlane plane) {
        for (Iterator<PeerAddress> it = waiting.iterator(); it.hasNext(); ) {
            if (!plane.redial(it.next())) {
                return;
            }
            it.remove();
        }
    }

    int size() {
        return waiting.size();
    }
}
