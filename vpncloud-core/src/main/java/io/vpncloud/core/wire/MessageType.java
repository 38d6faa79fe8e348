package io.vpncloud.core.wire;

/** The first byte of a session message after decryption (PROTOCOL.md §6), and the init marker (§1). */
public final class MessageType {

    /** One IP packet or Ethernet frame. */
    public static final int DATA = 0x00;
    /** A {@link NodeInfo}. */
    public static final int NODE_INFO = 0x01;
    /** Empty; refreshes the peer's timeout. */
    public static final int KEEPALIVE = 0x02;
    /**
     * Empty; asks a vpncloud-java peer for an immediate KEEPALIVE, to tell whether it is alive. Only sent to peers
     * that advertise {@link ProbeSupport#PART_ID}: the reference counts it as invalid.
     */
    public static final int PROBE = 0x80;
    /** A {@link RotationMessage}. */
    public static final int ROTATION = 0x10;
    /** Empty; the sender shuts down. */
    public static final int CLOSE = 0xFF;
    /** First byte of every handshake datagram ({@link InitMessage}). */
    public static final int INIT_MARKER = 0xFF;

    private MessageType() {
    }
}
