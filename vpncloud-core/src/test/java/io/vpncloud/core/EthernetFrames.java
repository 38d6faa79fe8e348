package io.vpncloud.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Ethernet frames for the tests: addresses as {@code aa:bb:cc:dd:ee:ff} text, payloads as text. */
public final class EthernetFrames {
    /** An EtherType for local experiments (IEEE 802 "local experimental 1"). */
    private static final int EXPERIMENTAL = 0x88B5;
    private static final HexFormat MAC = HexFormat.ofDelimiter(":");

    private EthernetFrames() {
    }

    /** An untagged frame from {@code source} to {@code destination} carrying {@code text}. */
    public static byte[] frame(String destination, String source, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[14 + payload.length];
        System.arraycopy(MAC.parseHex(destination), 0, frame, 0, 6);
        System.arraycopy(MAC.parseHex(source), 0, frame, 6, 6);
        frame[12] = (byte) (EXPERIMENTAL >>> 8);
        frame[13] = (byte) EXPERIMENTAL;
        System.arraycopy(payload, 0, frame, 14, payload.length);
        return frame;
    }

    /** A frame with an 802.1Q tag for {@code vlan}. */
    public static byte[] tagged(int vlan, String destination, String source, String text) {
        byte[] untagged = frame(destination, source, text);
        byte[] frame = new byte[untagged.length + 4];
        System.arraycopy(untagged, 0, frame, 0, 12);
        frame[12] = (byte) 0x81;
        frame[13] = 0;
        frame[14] = (byte) (vlan >>> 8);
        frame[15] = (byte) vlan;
        System.arraycopy(untagged, 12, frame, 16, untagged.length - 12);
        return frame;
    }

    /** The text a frame of {@link #frame} or {@link #tagged} carries. */
    public static String text(byte[] frame) {
        int header = frame[12] == (byte) 0x81 && frame[13] == 0 ? 18 : 14;
        return new String(Arrays.copyOfRange(frame, header, frame.length), StandardCharsets.UTF_8);
    }
}
