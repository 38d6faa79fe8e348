package io.vpncloud.core;

import io.vpncloud.api.NodeId;
import io.vpncloud.core.wire.NodeInfo;

import java.util.List;
import java.util.Set;

/**
 * Decides, for each NodeInfo broadcast, whether peers need the full NodeInfo or whether a KEEPALIVE does: a full
 * NodeInfo is about a kilobyte, a KEEPALIVE 25 bytes, and with short timers and many peers the difference is most
 * of the control plane's traffic. The full NodeInfo goes out when what it says changed (claims, routes in use, the
 * set of peers) and every {@value #FULL_EVERY}th broadcast regardless, so that a peer that lost one catches up.
 * Only peers that understand KEEPALIVE as a refresh (vpncloud-java peers; the reference accepts it too, but its
 * claims expire without NodeInfo) are sent one. Used under the control plane's lock.
 */
final class AnnouncementTracker {
    static final int FULL_EVERY = 10;

    private Object lastContent;
    private int sinceFull;

    /** Whether this broadcast must carry the full NodeInfo; records it as sent. */
    boolean needsFull(NodeInfo info, Set<NodeId> peers) {
        Object content = List.of(info.claims(), info.otherParts(), Set.copyOf(peers));
        boolean full = !content.equals(lastContent) || ++sinceFull >= FULL_EVERY;
        if (full) {
            lastContent = content;
            sinceFull = 0;
        }
        return full;
    }

    /** Whether {@code peer} may be sent a KEEPALIVE instead of an unchanged NodeInfo. */
    static boolean acceptsKeepalive(Peer peer) {
        return peer.info().peerTimeoutMillis().isPresent();
    }
}
