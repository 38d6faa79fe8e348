package io.vpncloud.core.wire;

/**
 * One entry of the algorithms field of an init message (PROTOCOL.md §4.1): an algorithm id and the sender's
 * measured speed for it in MiB/s (plaintext, id 0, is advertised with +∞).
 *
 * @param algorithmId the algorithm id, 0..255 (unknown ids are kept; the handshake ignores them)
 * @param speed       the advertised speed as sent (any float value, including infinities; compared like
 *                    {@link Float#compare}, so NaN equals NaN)
 */
public record AlgorithmSpeed(int algorithmId, float speed) {

    public AlgorithmSpeed {
        if (algorithmId < 0 || algorithmId > 0xFF) {
            throw new IllegalArgumentException("algorithm id out of 0..255: " + algorithmId);
        }
    }
}
