package io.vpncloud.cli;

import io.vpncloud.core.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Writes the node's peers, claims and traffic to the {@code --stats-file} periodically (every minute, as the
 * reference), in the reference's YAML-like layout. As the reference, the file is opened once and rewritten in place,
 * so that it stays writable after {@code --user} took root's rights away.
 */
public final class StatsFileWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsFileWriter.class);

    /** The reference writes its stats every 60 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

    private final Path file;
    private final Supplier<NodeStatus> status;
    private final Duration peerTimeout;
    private final InstantSource clock;
    private FileChannel channel; // opened by the first write, guarded by this
    private final ScheduledExecutorService timer = DaemonTimer.named("vpncloud-stats");

    /**
     * @param file        where to write
     * @param status      the node's status, read at every write
     * @param peerTimeout the node's peer timeout, to show how long each peer has left
     * @param clock       the time source for that
     */
    public StatsFileWriter(Path file, Supplier<NodeStatus> status, Duration peerTimeout, InstantSource clock) {
        this.file = file;
        this.status = status;
        this.peerTimeout = peerTimeout;
        this.clock = clock;
    }

    /**
     * Writes now, so that a file that cannot be written stops the start, and then every {@code interval}.
     *
     * @throws IOException when the first write fails
     */
    public void start(Duration interval) throws IOException {
        write();
        timer.scheduleAtFixedRate(this::writeLogged, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Writes the file once. */
    public void write() throws IOException {
        ByteBuffer text = ByteBuffer.wrap(format(status.get(), peerTimeout, clock.instant())
                .getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            channel.truncate(0);
            while (text.hasRemaining()) {
                channel.write(text, text.position());
            }
        }
    }

    private void writeLogged() {
        try {
            write();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write stats file {}: {}", file, e.toString());
        }
    }

    /**
     * The file's text: {@code peers} (address, seconds left before the peer times out, algorithm, node id),
     * {@code forwarding_table.claims} (range, claimant, whether it is the active one) and the traffic counters.
     */
    static String format(NodeStatus status, Duration peerTimeout, Instant now) {
        StringBuilder out = new StringBuilder();
        out.append("peers:\n");
        for (NodeStatus.Peer peer : status.peers()) {
            long ttl = Math.max(0, peerTimeout.minus(Duration.between(peer.lastHeard(), now)).toSeconds());
            out.append("  - \"").append(peer.address()).append("\": { ttl_secs: ").append(ttl)
                    .append(", crypto: ").append(peer.algorithm())
                    .append(", node_id: \"").append(peer.nodeId()).append("\" }\n");
        }
        out.append("\nforwarding_table:\n  claims:\n");
        for (NodeStatus.Claim claim : status.claims()) {
            out.append("    - \"").append(claim.range()).append("\": { peer: \"").append(claim.address())
                    .append("\", node_id: \"").append(claim.nodeId()).append("\", active: ").append(claim.active())
                    .append(" }\n");
        }
        NodeStatus.Traffic traffic = status.traffic();
        out.append("\npayload_traffic:\n")
                .append("  in: { bytes: ").append(traffic.bytesIn()).append(", packets: ")
                .append(traffic.packetsIn()).append(" }\n")
                .append("  out: { bytes: ").append(traffic.bytesOut()).append(", packets: ")
                .append(traffic.packetsOut()).append(" }\n")
                .append("\ninvalid_protocol_traffic: { packets: ").append(traffic.invalid()).append(" }\n")
                .append("dropped_payload_traffic: { packets: ").append(traffic.dropped()).append(" }\n");
        return out.toString();
    }

    /** Stops writing; the file stays, as in the reference. */
    @Override
    public void close() {
        DaemonTimer.stop(timer);
        synchronized (this) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("closing the stats file: {}", e.toString());
                }
            }
        }
    }
}
