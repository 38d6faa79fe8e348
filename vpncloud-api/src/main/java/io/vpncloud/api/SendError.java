package io.vpncloud.api;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An error the network reported for a datagram a {@link UdpSocket} sent earlier: an ICMP or ICMPv6 "destination
 * unreachable" (or another ICMP error) that came back for it. Such reports are not authenticated, so they are a hint
 * that the destination may be gone, never proof.
 *
 * @param destination where the failed datagram was sent
 * @param kind        what the report says
 * @param reporter    the host that sent the ICMP message (the destination's host itself, or a router on the way),
 *                    when the report names it
 */
public record SendError(PeerAddress destination, Kind kind, Optional<InetAddress> reporter) {

    /**
     * Checks that no value is null.
     *
     * @param destination where the failed datagram was sent
     * @param kind what the report says
     * @param reporter the host that sent the ICMP message, when the report names it
     */
    public SendError {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reporter, "reporter");
    }

    /** What an error report says about the destination. */
    public enum Kind {
        /** Nothing listens on the destination port; its host is up (ICMP type 3 code 3, ICMPv6 type 1 code 4). */
        PORT_UNREACHABLE,
        /** The destination host cannot be reached (ICMP type 3 codes 1, 7, 10, 12; ICMPv6 type 1 code 3). */
        HOST_UNREACHABLE,
        /** Any other ICMP error, such as network unreachable, administratively prohibited or time exceeded. */
        OTHER
    }
}
