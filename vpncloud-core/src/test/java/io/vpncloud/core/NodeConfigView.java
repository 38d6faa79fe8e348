package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDeviceConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The key-free part of what a builder collected, for tests outside this package (the configuration itself is
 * package-private, since it holds the private key).
 */
public record NodeConfigView(InetSocketAddress listen, List<String> peers, List<IpRange> claims, boolean autoClaim,
                             Duration peerTimeout, Optional<Duration> keepalive, Set<String> algorithms,
                             TunDeviceConfig deviceConfig, boolean spreadFlows, Optional<HealthView> healthCheck) {

    /** How the health check runs, without the check itself. */
    public record HealthView(Duration interval, Duration timeout, int rise, int fall) {
    }

    /** Validates the builder's options as {@link VpnNode.Builder#build()} does, and shows the result. */
    public static NodeConfigView of(VpnNode.Builder builder) {
        NodeConfig config = builder.toConfig();
        Set<String> algorithms = Set.copyOf(config.algorithms().stream().map(Enum::name).toList());
        return new NodeConfigView(config.listen(), config.peers(), config.claims(), config.autoClaim(),
                config.peerTimeout(), config.keepalive(), algorithms, config.deviceConfig(), config.spreadFlows(),
                config.healthCheck().map(h -> new HealthView(h.interval(), h.timeout(), h.rise(), h.fall())));
    }
}
