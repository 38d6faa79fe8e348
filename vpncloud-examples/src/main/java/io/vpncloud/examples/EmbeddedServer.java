package io.vpncloud.examples;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDeviceConfig;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.core.VpnNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Java service that is its own VPN node: it joins the VpnCloud network on a real TUN device and serves the
 * hostname protocol ({@link HostnameServer}) on the VPN address. Run two of them with the same {@code --ip} and
 * each other as {@code --peer}, and you have the high-availability setup of the VpnCloud tutorial without any
 * separate VPN process. This is the code to copy into your own service.
 *
 * <pre>
 * sudo java -cp vpncloud.jar io.vpncloud.examples.EmbeddedServer --password mysecret --ip 10.0.0.1/24 \
 *      --peer server-b:3210 [--name server-a] [--listen 3210] [--port 8000]
 * </pre>
 *
 * Needs root (or CAP_NET_ADMIN) for the TUN device, and vpncloud-tun-linux on the class path (it is in
 * vpncloud.jar).
 */
public final class EmbeddedServer {

    private EmbeddedServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String password = null;
        IpRange ip = IpRange.parse("10.0.0.1/24");
        List<String> peers = new ArrayList<>();
        String listen = "3210";
        String name = HostnameServer.localHostName();
        int port = HostnameServer.DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--password" -> password = args[++i];
                case "--ip" -> ip = IpRange.parse(args[++i]);
                case "--peer" -> peers.add(args[++i]);
                case "--listen" -> listen = args[++i];
                case "--name" -> name = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: EmbeddedServer --password P [--ip 10.0.0.1/24] [--peer HOST:PORT]..."
                            + " [--listen PORT] [--name NAME] [--port 8000]");
                    System.exit(2);
                }
            }
        }
        if (password == null) {
            System.err.println("EmbeddedServer: --password is required");
            System.exit(2);
        }

        // The service is healthy while it serves. Until then (and if it ever stops) the node withdraws its
        // claims, so that clients keep using another server instead of one that would not answer.
        AtomicBoolean serving = new AtomicBoolean(false);

        // 1. The node. The same options as the vpncloud command line, as a builder:
        VpnNode.Builder builder = VpnNode.builder()
                // Nodes with the same password trust each other (use privateKey/trustedKey for key pairs).
                .password(password)
                // The UDP port the peers reach us at (the reference's default is 3210).
                .listen(listen)
                // A TUN device, created through the TunDeviceProvider found on the class path (Linux: /dev/net/tun).
                // Its address is auto-claimed as /32: packets for 10.0.0.1 from the clients come to us.
                .device(new TunDeviceConfig(TunDeviceConfig.DEFAULT_NAME, Optional.of(ip), 0, false))
                .healthCheck(serving::get)
                // Events arrive on the node's threads: return quickly.
                .listener(EmbeddedServer::print);
        // Peers to connect to and to keep reconnecting to; the other server, typically.
        peers.forEach(builder::peer);
        VpnNode node = builder.build();
        // Opens the device and the socket; throws IOException with a hint when root rights are missing.
        node.start();
        System.out.println("node " + node.nodeId() + " on " + node.device().name() + ", listening on "
                + node.listenAddress());

        // 2. The service, on the VPN address: it exists on this host as soon as the device is up.
        HostnameServer server = HostnameServer.start(new InetSocketAddress(ip.inetAddress(), port), name);
        serving.set(true);
        System.out.println("answering as '" + name + "' at " + server.address());

        // 3. A graceful stop on SIGTERM or Ctrl-C: stop serving, then close the node, which tells the peers
        // (CLOSE) so that the clients fail over to the other server at once instead of after their peer timeout.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            serving.set(false);
            try {
                server.close();
            } catch (IOException e) {
                System.err.println("closing the hostname server: " + e.getMessage());
            }
            node.close();
        }, "embedded-server-shutdown"));
        Thread.currentThread().join();
    }

    private static void print(VpnEvent event) {
        if (event instanceof VpnEvent.PeerConnected e) {
            System.out.println("peer " + e.address() + " connected");
        } else if (event instanceof VpnEvent.PeerDisconnected e) {
            System.out.println("peer " + e.address() + " gone (" + e.reason() + ")");
        } else if (event instanceof VpnEvent.RoleChanged e) {
            System.out.println("now " + e.role() + " for " + e.range());
        } else if (event instanceof VpnEvent.RouteOwnerChanged e) {
            System.out.println("traffic for " + e.range() + " now goes to " + e.newOwner().map(Object::toString)
                    .orElse("nobody"));
        }
    }
}
