package io.vpncloud.core.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The content of a handshake message (PROTOCOL.md §4.1), without the key salt, key hash and signature that
 * {@link InitMessage} adds. Which fields a stage needs: PING stage, node hash, ECDH key, algorithms; PONG all
 * five; PENG stage, node hash, payload. A field a stage does not need may be present (it is then encoded too).
 *
 * @param stage         {@link #PING}, {@link #PONG} or {@link #PENG}
 * @param nodeHash      the sender's salted node id hash, 20 bytes
 * @param ecdhPublicKey the sender's ephemeral X25519 public key, 32 bytes, or null
 * @param algorithms    the sender's algorithms with speeds, or null
 * @param payload       the (encrypted) NodeInfo of the sender, or null
 */
public record InitFields(int stage, byte[] nodeHash, byte[] ecdhPublicKey, List<AlgorithmSpeed> algorithms,
        byte[] payload) {

    /** Stage of the first message, from the initiator. */
    public static final int PING = 1;
    /** Stage of the responder's answer. */
    public static final int PONG = 2;
    /** Stage of the initiator's final message. */
    public static final int PENG = 3;
    /** Length of the salted node id hash. */
    public static final int NODE_HASH_LENGTH = 20;
    /** Length of an X25519 public key. */
    public static final int ECDH_KEY_LENGTH = 32;

    static final int FIELD_STAGE = 1;
    static final int FIELD_NODE_HASH = 2;
    static final int FIELD_ECDH_KEY = 3;
    static final int FIELD_ALGORITHMS = 4;
    static final int FIELD_PAYLOAD = 5;
    static final int ALGORITHM_ENTRY_LENGTH = 5;

    private static final int HEADER_LENGTH = 3;
    private static final int MAX_FIELD_LENGTH = 0xFFFF;

    /** @throws IllegalArgumentException if a field the stage needs is missing or a field has a bad size */
    public InitFields {
        String problem = problem(stage, nodeHash, ecdhPublicKey, algorithms, payload);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        nodeHash = nodeHash.clone();
        ecdhPublicKey = ecdhPublicKey == null ? null : ecdhPublicKey.clone();
        algorithms = algorithms == null ? null : List.copyOf(algorithms);
        payload = payload == null ? null : payload.clone();
    }

    /** A PING: the initiator's node hash, ephemeral key and algorithms. */
    public static InitFields ping(byte[] nodeHash, byte[] ecdhPublicKey, List<AlgorithmSpeed> algorithms) {
        return new InitFields(PING, nodeHash, ecdhPublicKey, algorithms, null);
    }

    /** A PONG: the responder's node hash, ephemeral key, algorithms and encrypted NodeInfo. */
    public static InitFields pong(byte[] nodeHash, byte[] ecdhPublicKey, List<AlgorithmSpeed> algorithms,
            byte[] payload) {
        return new InitFields(PONG, nodeHash, ecdhPublicKey, algorithms, payload);
    }

    /** A PENG: the initiator's node hash and encrypted NodeInfo. */
    public static InitFields peng(byte[] nodeHash, byte[] payload) {
        return new InitFields(PENG, nodeHash, null, null, payload);
    }

    /**
     * Why these fields do not form a valid message, or null if they do. Shared by the constructor and the decoder
     * so that both enforce the same rules.
     */
    static String problem(int stage, byte[] nodeHash, byte[] ecdhPublicKey, List<AlgorithmSpeed> algorithms,
            byte[] payload) {
        if (stage < PING || stage > PENG) {
            return stage < 0 ? "init message without stage" : "invalid init stage " + stage;
        }
        if (nodeHash == null) {
            return "init message without node hash";
        }
        if (nodeHash.length != NODE_HASH_LENGTH) {
            return "node hash has " + nodeHash.length + " bytes, expected " + NODE_HASH_LENGTH;
        }
        if (ecdhPublicKey != null && ecdhPublicKey.length != ECDH_KEY_LENGTH) {
            return "ECDH key has " + ecdhPublicKey.length + " bytes, expected " + ECDH_KEY_LENGTH;
        }
        if (algorithms != null && algorithms.size() * ALGORITHM_ENTRY_LENGTH > MAX_FIELD_LENGTH) {
            return "too many algorithms: " + algorithms.size();
        }
        if (payload != null && payload.length > MAX_FIELD_LENGTH) {
            return "payload too long: " + payload.length;
        }
        if (stage != PENG && ecdhPublicKey == null) {
            return "init stage " + stage + " without ECDH key";
        }
        if (stage != PENG && algorithms == null) {
            return "init stage " + stage + " without algorithms";
        }
        if (stage != PING && payload == null) {
            return "init stage " + stage + " without payload";
        }
        return null;
    }

    /** Writes the fields in the reference's order 1..5 (without the end marker). */
    void encode(ByteBuffer out) {
        WireWriter.header(out, FIELD_STAGE, 1);
        WireWriter.u8(out, stage);
        WireWriter.header(out, FIELD_NODE_HASH, NODE_HASH_LENGTH);
        out.put(nodeHash);
        if (ecdhPublicKey != null) {
            WireWriter.header(out, FIELD_ECDH_KEY, ECDH_KEY_LENGTH);
            out.put(ecdhPublicKey);
        }
        if (algorithms != null) {
            WireWriter.header(out, FIELD_ALGORITHMS, algorithms.size() * ALGORITHM_ENTRY_LENGTH);
            for (AlgorithmSpeed algorithm : algorithms) {
                WireWriter.u8(out, algorithm.algorithmId());
                WireWriter.f32(out, algorithm.speed());
            }
        }
        if (payload != null) {
            WireWriter.header(out, FIELD_PAYLOAD, payload.length);
            out.put(payload);
        }
    }

    /** The number of bytes {@link #encode} writes. */
    int encodedLength() {
        int length = HEADER_LENGTH + 1 + HEADER_LENGTH + NODE_HASH_LENGTH;
        if (ecdhPublicKey != null) {
            length += HEADER_LENGTH + ECDH_KEY_LENGTH;
        }
        if (algorithms != null) {
            length += HEADER_LENGTH + algorithms.size() * ALGORITHM_ENTRY_LENGTH;
        }
        if (payload != null) {
            length += HEADER_LENGTH + payload.length;
        }
        return length;
    }

    @Override
    public byte[] nodeHash() {
        return nodeHash.clone();
    }

    @Override
    public byte[] ecdhPublicKey() {
        return ecdhPublicKey == null ? null : ecdhPublicKey.clone();
    }

    @Override
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitFields f && f.stage == stage && Arrays.equals(f.nodeHash, nodeHash)
                && Arrays.equals(f.ecdhPublicKey, ecdhPublicKey) && Objects.equals(f.algorithms, algorithms)
                && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return ((stage * 31 + Arrays.hashCode(nodeHash)) * 31 + Arrays.hashCode(ecdhPublicKey)) * 31
                + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "InitFields[stage=" + stage + ", nodeHash=" + hex.formatHex(nodeHash)
                + ", ecdhPublicKey=" + (ecdhPublicKey == null ? null : hex.formatHex(ecdhPublicKey))
                + ", algorithms=" + algorithms
                + ", payload=" + (payload == null ? null : payload.length + " bytes") + "]";
    }
}
