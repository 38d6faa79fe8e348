package io.vpncloud.core;

import io.vpncloud.api.PeerAddress;

/**
 * What the receive thread asks about a datagram's sender: the connected peer at its address, and whether a
 * handshake with it is under way. Both answers are read lock-free from what the control thread publishes.
 */
interface PeerIndex {
    /** The connected peer at this address, or null. */
    Peer peer(PeerAddress address);

    /** Whether a handshake with {@code address} is under way. */
    boolean inHandshake(PeerAddress address);
}
