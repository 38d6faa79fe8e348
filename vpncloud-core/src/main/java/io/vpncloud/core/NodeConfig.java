package io.vpncloud.core;

import io.vpncloud.api.HostResolver;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.api.TunDevice;
import io.vpncloud.api.TunDeviceConfig;
import io.vpncloud.api.TunDeviceProvider;
import io.vpncloud.api.UdpSocketProvider;
import io.vpncloud.api.VpnListener;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.Identity;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link VpnNode} is configured with; built and validated by {@link VpnNode.Builder}. Not public: it
 * holds the private key, which must not be readable through the API.
 *
 * @param identity            the node's signing key pair
 * @param trustedKeys         public keys accepted in handshakes (32 bytes each); never empty
 * @param algorithms          algorithms this node allows
 * @param listen              where the UDP socket listens
 * @param peers               configured peers, {@code host:port}, connected to and reconnected forever
 * @param claims              explicit claims
 * @param autoClaim           whether the device's IPv4 address is claimed as /32
 * @param peerTimeout         silence after which a peer is dropped
 * @param keepalive           how often NodeInfo is sent to peers, when set explicitly
 * @param device              the TUN device, when given directly
 * @param deviceConfig        what to create a device with through a {@link io.vpncloud.api.TunDeviceProvider}
 *                            when {@code device} is empty
 * @param deviceProvider      the provider to create the device with; empty: the first available one found
 *                            through {@link java.util.ServiceLoader}
 * @param socketProvider      the provider to open the UDP socket with; empty: the first available one found through
 *                            {@link java.util.ServiceLoader}, else a JDK DatagramChannel
 * @param listeners           receive events
 * @param clock               the time source of every timer
 * @param tick                the control thread's timer period
 * @param rotationInterval    how often session keys are rotated
 * @param healthCheck         withdraws the claims while it fails, and how it is run
 * @param resolver            resolves the host names of configured peers, off the control thread
 * @param advertiseAddresses  addresses advertised to peers as our own
 * @param maxPendingHandshakes cap on unfinished handshakes
 * @param spreadFlows         whether flows are spread over the claimants of a range instead of all going to
 *                            the claimant known longest
 * @param mode                how packets from the device are forwarded
 * @param switchTimeout       how long a learned address is kept, in the modes that learn
 */
record NodeConfig(
        Identity identity,
        List<byte[]> trustedKeys,
        Set<Algorithm> algorithms,
        InetSocketAddress listen,
        List<String> peers,
        List<IpRange> claims,
        boolean autoClaim,
        Duration peerTimeout,
        Optional<Duration> keepalive,
        Optional<TunDevice> device,
        TunDeviceConfig deviceConfig,
        Optional<TunDeviceProvider> deviceProvider,
        Optional<UdpSocketProvider> socketProvider,
        List<VpnListener> listeners,
        InstantSource clock,
        Duration tick,
        Duration rotationInterval,
        Optional<HealthCheckSettings> healthCheck,
        HostResolver resolver,
        List<PeerAddress> advertiseAddresses,
        int maxPendingHandshakes,
        boolean spreadFlows,
        ForwardingMode mode,
        Duration switchTimeout) {

    NodeConfig {
        trustedKeys = List.copyOf(trustedKeys);
        algorithms = Set.copyOf(algorithms);
        peers = List.copyOf(peers);
        claims = List.copyOf(claims);
        listeners = List.copyOf(listeners);
        advertiseAddresses = List.copyOf(advertiseAddresses);
    }

}
