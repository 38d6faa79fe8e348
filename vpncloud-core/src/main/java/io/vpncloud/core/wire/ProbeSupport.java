package io.vpncloud.core.wire;

/**
 * Java-to-Java NodeInfo extension (part {@value #PART_ID}, empty): the sender answers a {@link MessageType#PROBE}
 * with a KEEPALIVE at once. A node sends probes only to peers that advertise this; others (the reference, older
 * vpncloud-java nodes) would count a probe as invalid and never answer it. The reference skips the part.
 */
public final class ProbeSupport {

    /** The NodeInfo part id of this extension. */
    public static final int PART_ID = 0x82;
    /** The part as it is sent: no value, its presence is the message. */
    public static final NodeInfo.Part PART = new NodeInfo.Part(PART_ID, new byte[0]);

    private ProbeSupport() {
    }

    /** Whether the sender of {@code info} answers probes. */
    public static boolean advertisedIn(NodeInfo info) {
        for (NodeInfo.Part part : info.otherParts()) {
            if (part.id() == PART_ID) {
                return true;
            }
        }
        return false;
    }
}
