package io.vpncloud.core.crypto;

import io.vpncloud.api.NodeId;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.NodeInfo;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every handshake of one node shares.
 *
 * @param identity   the node's signing key
 * @param trustedKeys the keys handshakes are accepted from
 * @param nodeId     the node's id (for the salted node id hash and self-connection detection)
 * @param algorithms the allowed algorithms with the node's measured speeds, exactly as advertised (as
 *                   {@link AlgorithmSpeeds#measure} gives them): plaintext
 *                   (id 0, speed +∞) first if allowed, then the encrypted ones; only known ids
 * @param random     the source of ephemeral keys, salts and nonces
 * @param ownInfo    the node's current NodeInfo, asked for when a PONG or PENG is built
 */
public record HandshakeContext(Identity identity, TrustedKeys trustedKeys, NodeId nodeId,
        List<AlgorithmSpeed> algorithms, SecureRandom random, Supplier<NodeInfo> ownInfo) {

    public HandshakeContext {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(trustedKeys, "trustedKeys");
        Objects.requireNonNull(nodeId, "nodeId");
        algorithms = List.copyOf(algorithms);
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(ownInfo, "ownInfo");
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one algorithm must be allowed");
        }
        for (AlgorithmSpeed algorithm : algorithms) {
            Algorithm.fromId(algorithm.algorithmId());
        }
    }
}
