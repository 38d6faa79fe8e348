package io.vpncloud.core.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The body of a key-rotation session message (PROTOCOL.md §6.3), after its type byte {@link MessageType#ROTATION}:
 * {@code message_id u64, propose_len u8, propose, confirm_len u8, confirm}.
 *
 * @param messageId the message id (unsigned; ids never repeat)
 * @param propose   the sender's newly proposed X25519 public key, 32 bytes
 * @param confirm   the sender's public key confirming the peer's last proposal, 32 bytes, or empty if none
 */
public record RotationMessage(long messageId, byte[] propose, byte[] confirm) {

    /** Length of an X25519 public key. */
    public static final int KEY_LENGTH = 32;

    public RotationMessage {
        if (propose.length != KEY_LENGTH) {
            throw new IllegalArgumentException("proposed key has " + propose.length + " bytes, expected " + KEY_LENGTH);
        }
        if (confirm.length != 0 && confirm.length != KEY_LENGTH) {
            throw new IllegalArgumentException("confirmed key has " + confirm.length + " bytes, expected 0 or "
                    + KEY_LENGTH);
        }
        propose = propose.clone();
        confirm = confirm.clone();
    }

    /**
     * Reads a rotation message body, consuming exactly its bytes.
     *
     * @throws MalformedMessageException if it is truncated or a key has a length other than 32 (or 0 for confirm)
     */
    public static RotationMessage decode(ByteBuffer body) throws MalformedMessageException {
        WireReader in = new WireReader(body);
        long messageId = in.u64();
        int proposeLength = in.u8();
        if (proposeLength != KEY_LENGTH) {
            throw new MalformedMessageException("rotation proposal has " + proposeLength + " bytes, expected "
                    + KEY_LENGTH);
        }
        byte[] propose = in.bytes(KEY_LENGTH);
        int confirmLength = in.u8();
        if (confirmLength != 0 && confirmLength != KEY_LENGTH) {
            throw new MalformedMessageException("rotation confirmation has " + confirmLength + " bytes, expected 0 or "
                    + KEY_LENGTH);
        }
        return new RotationMessage(messageId, propose, in.bytes(confirmLength));
    }

    /** Writes the body (without the type byte); needs {@link #encodedLength()} bytes. */
    public void encode(ByteBuffer out) {
        WireWriter.u64(out, messageId);
        WireWriter.u8(out, propose.length);
        out.put(propose);
        WireWriter.u8(out, confirm.length);
        out.put(confirm);
    }

    /** The number of bytes {@link #encode} writes: 42 without, 74 with a confirmation. */
    public int encodedLength() {
        return 8 + 1 + propose.length + 1 + confirm.length;
    }

    /** Whether this message confirms a proposal of the peer. */
    public boolean hasConfirm() {
        return confirm.length > 0;
    }

    @Override
    public byte[] propose() {
        return propose.clone();
    }

    @Override
    public byte[] confirm() {
        return confirm.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RotationMessage m && m.messageId == messageId && Arrays.equals(m.propose, propose)
                && Arrays.equals(m.confirm, confirm);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(messageId) * 31 + Arrays.hashCode(propose)) * 31 + Arrays.hashCode(confirm);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "RotationMessage[id=" + Long.toUnsignedString(messageId) + ", propose=" + hex.formatHex(propose)
                + ", confirm=" + hex.formatHex(confirm) + "]";
    }
}
