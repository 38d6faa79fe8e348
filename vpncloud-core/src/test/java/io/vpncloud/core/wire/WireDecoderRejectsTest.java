package io.vpncloud.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Specific malformations name what was wrong. */
class WireDecoderRejectsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String NODE_ID_PART = "0400100102030405060708090a0b0c0d0e0f10";

    @Test
    void nodeInfoWithoutNodeId() {
        assertEquals("NodeInfo without node id", nodeInfoProblem("01000000"));
    }

    @Test
    void nodeInfoWithTwiceTheSamePart() {
        assertEquals("NodeInfo part 4 appears twice", nodeInfoProblem(NODE_ID_PART + NODE_ID_PART + "00"));
    }

    @Test
    void nodeInfoWithBadClaims() {
        assertEquals("claim address length 5 is not 4, 16, 6 or 8",
                nodeInfoProblem(NODE_ID_PART + "020007" + "05" + "0a00000001" + "20" + "00"));
        assertEquals("claim prefix length 33 exceeds 32",
                nodeInfoProblem(NODE_ID_PART + "020006" + "04" + "0a000001" + "21" + "00"));
    }

    @Test
    void nodeInfoWithoutEndMarkerIsTruncated() {
        assertEquals("truncated message: need 1 bytes, have 0", nodeInfoProblem(NODE_ID_PART));
    }

    @Test
    void initMessageMissingAFieldOfItsStage() {
        byte[] ping = InitMessage.encode(InitFields.ping(new byte[20], new byte[32], List.of()), new byte[4],
                new byte[4], data -> new byte[64]);
        ping[12] = InitFields.PONG; // the stage value: 0xff, salt, hash, then field 1 with length 1
        assertEquals("init stage 2 without payload", initProblem(ping));
        ping[12] = 4;
        assertEquals("invalid init stage 4", initProblem(ping));
    }

    @Test
    void initMessageWithWrongSignatureLengthOrTrailingBytes() {
        byte[] peng = InitMessage.encode(InitFields.peng(new byte[20], new byte[3]), new byte[4], new byte[4],
                data -> new byte[64]);
        byte[] longer = Arrays.copyOf(peng, peng.length + 1);
        assertEquals("1 unexpected bytes after init message signature", initProblem(longer));
        peng[peng.length - 65] = 32;
        assertEquals("signature length 32, expected 64", initProblem(peng));
    }

    @Test
    void unknownInitFieldsAreSkipped() throws MalformedMessageException {
        InitFields fields = InitFields.peng(new byte[20], new byte[] {9});
        byte[] plain = InitMessage.encode(fields, new byte[4], new byte[4], data -> new byte[64]);
        // insert field 0x42 with two bytes right after the key hash
        byte[] extended = new byte[plain.length + 5];
        System.arraycopy(plain, 0, extended, 0, 9);
        System.arraycopy(HEX.parseHex("420002abcd"), 0, extended, 9, 5);
        System.arraycopy(plain, 9, extended, 14, plain.length - 9);
        assertEquals(fields, InitMessage.decode(ByteBuffer.wrap(extended)).fields());
    }

    @Test
    void rotationMessageWithShortKey() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> RotationMessage.decode(
                        ByteBuffer.wrap(HEX.parseHex("0000000000000001" + "10" + "00".repeat(16)))));
        assertEquals("rotation proposal has 16 bytes, expected 32", e.reason());
    }

    private static String nodeInfoProblem(String hex) {
        return assertThrows(MalformedMessageException.class, () -> NodeInfo.decode(ByteBuffer.wrap(HEX.parseHex(hex))))
                .reason();
    }

    private static String initProblem(byte[] datagram) {
        return assertThrows(MalformedMessageException.class, () -> InitMessage.decode(ByteBuffer.wrap(datagram)))
                .reason();
    }
}
