package io.vpncloud.examples;

import io.vpncloud.api.IpPackets;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.NodeId;
import io.vpncloud.core.MemoryTunDevice;
import io.vpncloud.core.VpnNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A server of the HA demo: a VPN node on an in-memory device whose "application" answers every UDP datagram to
 * port {@value #PORT} with the server's name, from the address it was sent to. Two of them with the same device
 * address are the two servers of the VpnCloud HA tutorial.
 */
final class WhoAreYouServer implements AutoCloseable {

    /** The UDP port the servers answer on. */
    static final int PORT = 7777;

    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final MemoryTunDevice device;
    private final VpnNode node;
    private final Thread responder;
    private volatile boolean running = true;

    private WhoAreYouServer(String name, MemoryTunDevice device, VpnNode node) {
        this.name = name;
        this.device = device;
        this.node = node;
        this.responder = new Thread(this::respond, name + "-responder");
        this.responder.setDaemon(true);
    }

    /**
     * Starts a server: the node gets a device with {@code address} (auto-claimed as /32) and the rest of its
     * configuration from {@code builder}.
     */
    static WhoAreYouServer start(String name, IpRange address, VpnNode.Builder builder) throws IOException {
        MemoryTunDevice device = new MemoryTunDevice(name, address);
        VpnNode node = builder.device(device).build();
        node.start();
        WhoAreYouServer server = new WhoAreYouServer(name, device, node);
        server.responder.start();
        return server;
    }

    String name() {
        return name;
    }

    NodeId nodeId() {
        return node.nodeId();
    }

    InetSocketAddress listenAddress() {
        return node.listenAddress();
    }

    /** Dies without a word, as a killed process: the peers notice only after their peer timeout. */
    void crash() {
        node.crash();
        stopResponder();
    }

    /** Stops gracefully: the peers are told (CLOSE) and fail over at once. */
    @Override
    public void close() {
        node.close();
        stopResponder();
    }

    private void respond() {
        while (running) {
            Optional<byte[]> packet;
            try {
                packet = device.receive(POLL);
            } catch (InterruptedException e) {
                return;
            }
            Optional<IpPackets.Udp> request = packet.flatMap(IpPackets::parseUdp).filter(p -> p.destinationPort() == PORT);
            if (request.isPresent()) {
                IpPackets.Udp in = request.get();
                String seq = new String(in.payload(), StandardCharsets.UTF_8).replaceAll("\\D", "");
                byte[] answer = (name + " " + seq).getBytes(StandardCharsets.UTF_8);
                try {
                    device.inject(new IpPackets.Udp(in.destination(), PORT, in.source(), in.sourcePort(), answer).toBytes());
                } catch (IOException e) {
                    return; // the device is closed: the server is down
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void stopResponder() {
        running = false;
        responder.interrupt();
        try {
            responder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
