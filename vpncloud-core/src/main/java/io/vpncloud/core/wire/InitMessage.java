package io.vpncloud.core.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A decoded handshake datagram (PROTOCOL.md §4.1):
 * {@code 0xFF, key_salt(4), key_hash(4), fields..., 0x00, sig_len(64), signature(64)}.
 * This codec checks the layout only; finding the trusted key by {@code key_hash} and verifying the signature
 * over {@link #signedRegion} are the crypto layer's job.
 *
 * @param fields       the content
 * @param keySalt      the 4-byte salt of the key hash
 * @param keyHash      the first 4 bytes of SHA-256(sender public key || key salt)
 * @param signedRegion the bytes the signature covers: from the key salt through the end marker
 * @param signature    the 64-byte Ed25519 signature
 */
public record InitMessage(InitFields fields, byte[] keySalt, byte[] keyHash, byte[] signedRegion, byte[] signature) {

    /** Length of the key salt and of the key hash. */
    public static final int KEY_SALT_LENGTH = 4;
    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_LENGTH = 64;

    private static final int FIELD_END = 0;
    private static final int HEADER_LENGTH = 3;

    /** Signs the bytes of an outgoing handshake message. */
    @FunctionalInterface
    public interface Signer {
        /** The 64-byte Ed25519 signature of {@code data}. */
        byte[] sign(byte[] data);
    }

    public InitMessage {
        Objects.requireNonNull(fields, "fields");
        keySalt = checkedCopy(keySalt, KEY_SALT_LENGTH, "key salt");
        keyHash = checkedCopy(keyHash, KEY_SALT_LENGTH, "key hash");
        signedRegion = signedRegion.clone();
        signature = checkedCopy(signature, SIGNATURE_LENGTH, "signature");
    }

    /**
     * Reads a whole handshake datagram, starting with its {@code 0xFF} marker. Unknown field ids are skipped by
     * their length.
     *
     * @throws MalformedMessageException if the layout is broken, a known field has a bad size or appears twice,
     *                                   the stage is not 1..3, a field the stage needs is missing, the signature
     *                                   length is not 64, or bytes follow the signature
     */
    public static InitMessage decode(ByteBuffer datagram) throws MalformedMessageException {
        WireReader in = new WireReader(datagram);
        if (in.u8() != MessageType.INIT_MARKER) {
            throw new MalformedMessageException("init message does not start with 0xff");
        }
        int signedStart = in.position();
        byte[] keySalt = in.bytes(KEY_SALT_LENGTH);
        byte[] keyHash = in.bytes(KEY_SALT_LENGTH);
        FieldsDecoder decoded = new FieldsDecoder();
        for (int id = in.u8(); id != FIELD_END; id = in.u8()) {
            decoded.read(id, in.slice(in.u16()));
        }
        byte[] signedRegion = in.copyRange(signedStart, in.position());
        int signatureLength = in.u8();
        if (signatureLength != SIGNATURE_LENGTH) {
            throw new MalformedMessageException("signature length " + signatureLength + ", expected "
                    + SIGNATURE_LENGTH);
        }
        byte[] signature = in.bytes(SIGNATURE_LENGTH);
        in.requireEnd("init message signature");
        return new InitMessage(decoded.toFields(), keySalt, keyHash, signedRegion, signature);
    }

    /**
     * Builds and signs a handshake datagram: {@code 0xFF}, salt, hash, the fields in order 1..5, {@code 0x00},
     * 64, signature.
     *
     * @param keySalt 4 random bytes, new for every message
     * @param keyHash the first 4 bytes of SHA-256(own public key || key salt)
     * @param signer  signs the bytes from the salt through the end marker
     */
    public static byte[] encode(InitFields fields, byte[] keySalt, byte[] keyHash, Signer signer) {
        checkedCopy(keySalt, KEY_SALT_LENGTH, "key salt");
        checkedCopy(keyHash, KEY_SALT_LENGTH, "key hash");
        int signedLength = 2 * KEY_SALT_LENGTH + fields.encodedLength() + 1;
        ByteBuffer out = ByteBuffer.allocate(1 + signedLength + 1 + SIGNATURE_LENGTH);
        WireWriter.u8(out, MessageType.INIT_MARKER);
        out.put(keySalt).put(keyHash);
        fields.encode(out);
        WireWriter.u8(out, FIELD_END);
        byte[] signature = signer.sign(Arrays.copyOfRange(out.array(), 1, 1 + signedLength));
        if (signature.length != SIGNATURE_LENGTH) {
            throw new IllegalStateException("signer returned " + signature.length + " bytes, expected "
                    + SIGNATURE_LENGTH);
        }
        WireWriter.u8(out, SIGNATURE_LENGTH);
        out.put(signature);
        return out.array();
    }

    /** The stage: {@link InitFields#PING}, {@link InitFields#PONG} or {@link InitFields#PENG}. */
    public int stage() {
        return fields.stage();
    }

    /** The sender's 20-byte salted node id hash. */
    public byte[] nodeHash() {
        return fields.nodeHash();
    }

    /** The sender's 32-byte ephemeral X25519 key, or null. */
    public byte[] ecdhPublicKey() {
        return fields.ecdhPublicKey();
    }

    /** The sender's algorithms with speeds, or null. */
    public List<AlgorithmSpeed> algorithms() {
        return fields.algorithms();
    }

    /** The sender's (encrypted) NodeInfo, or null. */
    public byte[] payload() {
        return fields.payload();
    }

    @Override
    public byte[] keySalt() {
        return keySalt.clone();
    }

    @Override
    public byte[] keyHash() {
        return keyHash.clone();
    }

    @Override
    public byte[] signedRegion() {
        return signedRegion.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitMessage m && m.fields.equals(fields) && Arrays.equals(m.keySalt, keySalt)
                && Arrays.equals(m.keyHash, keyHash) && Arrays.equals(m.signedRegion, signedRegion)
                && Arrays.equals(m.signature, signature);
    }

    @Override
    public int hashCode() {
        return fields.hashCode() * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "InitMessage[" + fields + ", keySalt=" + hex.formatHex(keySalt) + ", keyHash=" + hex.formatHex(keyHash)
                + ", signature=" + hex.formatHex(signature) + "]";
    }

    private static byte[] checkedCopy(byte[] bytes, int length, String what) {
        if (bytes.length != length) {
            throw new IllegalArgumentException(what + " has " + bytes.length + " bytes, expected " + length);
        }
        return bytes.clone();
    }

    /** Collects the known fields while reading a message. */
    private static final class FieldsDecoder {
        private int stage = -1;
        private byte[] nodeHash;
        private byte[] ecdhPublicKey;
        private List<AlgorithmSpeed> algorithms;
        private byte[] payload;

        void read(int id, WireReader field) throws MalformedMessageException {
            switch (id) {
                case InitFields.FIELD_STAGE -> {
                    requireFirst(stage >= 0, "stage");
                    stage = field.exactly(1, "init field stage").u8();
                }
                case InitFields.FIELD_NODE_HASH -> {
                    requireFirst(nodeHash != null, "node hash");
                    nodeHash = field.exactly(InitFields.NODE_HASH_LENGTH, "init field node hash")
                            .bytes(InitFields.NODE_HASH_LENGTH);
                }
                case InitFields.FIELD_ECDH_KEY -> {
                    requireFirst(ecdhPublicKey != null, "ECDH key");
                    ecdhPublicKey = field.exactly(InitFields.ECDH_KEY_LENGTH, "init field ECDH key")
                            .bytes(InitFields.ECDH_KEY_LENGTH);
                }
                case InitFields.FIELD_ALGORITHMS -> {
                    requireFirst(algorithms != null, "algorithms");
                    algorithms = readAlgorithms(field);
                }
                case InitFields.FIELD_PAYLOAD -> {
                    requireFirst(payload != null, "payload");
                    payload = field.bytes(field.remaining());
                }
                default -> {
                    // Unknown fields are skipped: the slice has already moved the reader past them.
                }
            }
        }

        InitFields toFields() throws MalformedMessageException {
            String problem = InitFields.problem(stage, nodeHash, ecdhPublicKey, algorithms, payload);
            if (problem != null) {
                throw new MalformedMessageException(problem);
            }
            return new InitFields(stage, nodeHash, ecdhPublicKey, algorithms, payload);
        }

        private static void requireFirst(boolean alreadySeen, String what) throws MalformedMessageException {
            if (alreadySeen) {
                throw new MalformedMessageException("init field " + what + " appears twice");
            }
        }

        private static List<AlgorithmSpeed> readAlgorithms(WireReader field) throws MalformedMessageException {
            if (field.remaining() % InitFields.ALGORITHM_ENTRY_LENGTH != 0) {
                throw new MalformedMessageException("algorithms field length " + field.remaining()
                        + " is not a multiple of 5");
            }
            AlgorithmSpeed[] result = new AlgorithmSpeed[field.remaining() / InitFields.ALGORITHM_ENTRY_LENGTH];
            for (int i = 0; i < result.length; i++) {
                result[i] = new AlgorithmSpeed(field.u8(), field.f32());
            }
            return List.of(result);
        }
    }
}
