package io.vpncloud.cli;

import io.vpncloud.core.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code --statsd-server}: every minute, as the reference, one UDP datagram to a statsd server with the reference's
 * metric names, {@code PREFIX.NAME:VALUE|TYPE} lines joined by newlines. Gauges are the current values; counters
 * ({@code |c}) the traffic since the previous datagram. It runs on a thread of its own, which also resolves the
 * server's name, so the node's threads never wait for it.
 *
 * <p>vpncloud-java counts payload packets and bytes both ways, the control datagrams it sends, and drops and invalid
 * datagrams by packet. The reference's protocol traffic is therefore the payload plus the control datagrams sent
 * (inbound: the payload), and the byte counts of drops and invalid datagrams are 0.
 */
final class StatsdSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsdSender.class);

    private final CliConfig.Statsd settings;
    private final Supplier<NodeStatus> status;
    private final DatagramSocket socket;
    private final ScheduledExecutorService timer = DaemonTimer.named("vpncloud-statsd");
    private NodeStatus.Traffic previous; // only touched by the timer thread (and sendNow in tests)

    /**
     * @param settings the server and the prefix
     * @param status   the node's status, read at every send
     * @throws IOException when no UDP socket can be opened
     */
    StatsdSender(CliConfig.Statsd settings, Supplier<NodeStatus> status) throws IOException {
        this.settings = settings;
        this.status = status;
        this.socket = new DatagramSocket();
        this.previous = new NodeStatus.Traffic(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Sends every {@code interval}, the first time one interval from now. */
    void start(Duration interval) {
        timer.scheduleAtFixedRate(this::sendLogged, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sends one datagram now. */
    synchronized void sendNow() throws IOException {
        NodeStatus now = status.get();
        byte[] message = format(settings.prefix(), now, previous).getBytes(StandardCharsets.UTF_8);
        InetSocketAddress server = resolve(settings.server());
        socket.send(new DatagramPacket(message, message.length, server));
        previous = now.traffic();
    }

    private void sendLogged() {
        try {
            sendNow();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot send statistics to statsd server {}: {}", settings.server(), e.toString());
        }
    }

    /** {@code HOST:PORT} or {@code [V6]:PORT}, resolved now. */
    private static InetSocketAddress resolve(String server) throws IOException {
        int colon = server.lastIndexOf(':');
        String host = server.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetSocketAddress address = new InetSocketAddress(host, Integer.parseInt(server.substring(colon + 1)));
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve " + host);
        }
        return address;
    }

    /** The datagram's text: the reference's metrics in its order, counters as the difference to {@code before}. */
    static String format(String prefix, NodeStatus status, NodeStatus.Traffic before) {
        NodeStatus.Traffic t = status.traffic();
        long payloadInPackets = t.packetsIn() - before.packetsIn();
        long payloadInBytes = t.bytesIn() - before.bytesIn();
        long payloadOutPackets = t.packetsOut() - before.packetsOut();
        long payloadOutBytes = t.bytesOut() - before.bytesOut();
        long controlOutPackets = t.controlPacketsOut() - before.controlPacketsOut();
        long controlOutBytes = t.controlBytesOut() - before.controlBytesOut();
        List<String> lines = new ArrayList<>();
        lines.add(prefix + ".peer_count:" + status.peers().size() + "|g");
        lines.add(prefix + ".table_cache_entries:0|g"); // no lookup cache: the claim table is searched directly
        lines.add(prefix + ".table_claims:" + status.claims().size() + "|g");
        lines.add(prefix + ".traffic.protocol.inbound.bytes:" + payloadInBytes + "|c");
        lines.add(prefix + ".traffic.protocol.inbound.packets:" + payloadInPackets + "|c");
        lines.add(prefix + ".traffic.protocol.outbound.bytes:" + (payloadOutBytes + controlOutBytes) + "|c");
        lines.add(prefix + ".traffic.protocol.outbound.packets:" + (payloadOutPackets + controlOutPackets) + "|c");
        lines.add(prefix + ".traffic.payload.inbound.bytes:" + payloadInBytes + "|c");
        lines.add(prefix + ".traffic.payload.inbound.packets:" + payloadInPackets + "|c");
        lines.add(prefix + ".traffic.payload.outbound.bytes:" + payloadOutBytes + "|c");
        lines.add(prefix + ".traffic.payload.outbound.packets:" + payloadOutPackets + "|c");
        lines.add(prefix + ".invalid_protocol_traffic.bytes:0|c");
        lines.add(prefix + ".invalid_protocol_traffic.packets:" + (t.invalid() - before.invalid()) + "|c");
        lines.add(prefix + ".dropped_payload.bytes:0|c");
        lines.add(prefix + ".dropped_payload.packets:" + (t.dropped() - before.dropped()) + "|c");
        return String.join("\n", lines);
    }

    /** Stops sending. */
    @Override
    public void close() {
        DaemonTimer.stop(timer);
        socket.close();
    }
}
