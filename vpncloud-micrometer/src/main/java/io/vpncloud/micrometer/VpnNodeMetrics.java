package io.vpncloud.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vpncloud.api.IpRange;
import io.vpncloud.api.VpnEvent;
import io.vpncloud.core.NodeStatus;
import io.vpncloud.core.VpnNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The metrics of one {@link VpnNode} for a Micrometer {@link MeterRegistry}.
 *
 * <p>Counters (as {@link FunctionCounter}s over the node's own counters):
 * {@code vpncloud.traffic.packets} and {@code vpncloud.traffic.bytes} tagged {@code direction=in|out} (data from
 * and to peers), {@code vpncloud.packets.dropped}, {@code vpncloud.datagrams.invalid},
 * {@code vpncloud.packets.flooded} and {@code vpncloud.addresses.unlearned} (switch and hub modes),
 * {@code vpncloud.control.packets} and {@code vpncloud.control.bytes}. Gauges: {@code vpncloud.peers},
 * {@code vpncloud.claims} (entries of the claim table), {@code vpncloud.addresses.learned}, {@code vpncloud.own.claims} tagged {@code role=active|standby},
 * and per range or peer {@code vpncloud.claim.users} and {@code vpncloud.claim.active} (1 or 0) tagged
 * {@code range}, {@code vpncloud.range.claimants} tagged {@code range}, and {@code vpncloud.peer.claims} tagged
 * {@code peer} (its UDP address) and {@code node} (its node id).
 *
 * <p>Peers and ranges come and go, so the tagged gauges are registered anew by {@link #refresh()}, which a thread of
 * this object calls every refresh interval (none when the interval is zero; then call it yourself). The values are
 * read from {@link VpnNode#status()}, at most once per 100 ms however many meters a scrape reads. Before the node
 * starts the gauges are NaN and the counters 0.
 */
public final class VpnNodeMetrics implements MeterBinder, AutoCloseable {

    /** How often the tagged gauges follow the peers and ranges by default. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(10);

    private static final long STATUS_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final VpnNode node;
    private final Tags tags;
    private final Duration refreshInterval;
    private final List<TaggedGauges> bound = new CopyOnWriteArrayList<>();
    private volatile CachedStatus cached = new CachedStatus(Optional.empty(), System.nanoTime() - 2 * STATUS_MAX_AGE_NANOS);
    private volatile NodeStatus.Traffic lastTraffic = new NodeStatus.Traffic(0, 0, 0, 0, 0, 0, 0, 0);
    private ScheduledExecutorService refresher;

    /** The tagged gauges of one registry. */
    private record TaggedGauges(MultiGauge claimUsers, MultiGauge claimActive, MultiGauge rangeClaimants,
                                MultiGauge peerClaims) {
    }

    private record CachedStatus(Optional<NodeStatus> status, long takenAtNanos) {
    }

    /**
     * Metrics of a node, without extra tags, refreshed every {@link #DEFAULT_REFRESH_INTERVAL}.
     *
     * @param node the node; it may be started later
     */
    public VpnNodeMetrics(VpnNode node) {
        this(node, Tags.empty(), DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * Metrics of a node.
     *
     * @param node            the node; it may be started later
     * @param tags            tags added to every meter, for example the node's name when a process runs several
     * @param refreshInterval how often the tagged gauges follow the peers and ranges; zero for never (then call
     *                        {@link #refresh()})
     * @throws IllegalArgumentException when the interval is negative or a value is null
     */
    public VpnNodeMetrics(VpnNode node, Iterable<Tag> tags, Duration refreshInterval) {
        if (node == null || tags == null || refreshInterval == null) {
            throw new IllegalArgumentException("node, tags and refreshInterval must not be null");
        }
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("refreshInterval must not be negative: " + refreshInterval);
        }
        this.node = node;
        this.tags = Tags.of(tags);
        this.refreshInterval = refreshInterval;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // The peers gauge holds this object strongly, and through it the counters and rows that hold it weakly.
        Gauge.builder("vpncloud.peers", this, m -> m.statusValue(s -> s.peers().size())).tags(tags)
                .description("connected peers").strongReference(true).register(registry);
        Gauge.builder("vpncloud.claims", this, m -> m.statusValue(s -> s.claims().size())).tags(tags)
                .description("entries of the claim table: one per range and claimant").register(registry);
        Gauge.builder("vpncloud.addresses.learned", this, m -> m.statusValue(NodeStatus::learnedAddresses)).tags(tags)
                .description("addresses learned from peers' frames (switch modes)").register(registry);
        for (VpnEvent.Role role : VpnEvent.Role.values()) {
            Gauge.builder("vpncloud.own.claims", this,
                            m -> m.statusValue(s -> s.ownClaims().stream().filter(c -> c.role() == role).count()))
                    .tags(tags).tag("role", role.name().toLowerCase(java.util.Locale.ROOT))
                    .description("this node's own claims in this role").register(registry);
        }
        counter(registry, "vpncloud.traffic.packets", "in", "data packets received from peers", null,
                NodeStatus.Traffic::packetsIn);
        counter(registry, "vpncloud.traffic.packets", "out", "data packets sent to peers", null,
                NodeStatus.Traffic::packetsOut);
        counter(registry, "vpncloud.traffic.bytes", "in", "data bytes received from peers", "bytes",
                NodeStatus.Traffic::bytesIn);
        counter(registry, "vpncloud.traffic.bytes", "out", "data bytes sent to peers", "bytes",
                NodeStatus.Traffic::bytesOut);
        counter(registry, "vpncloud.packets.dropped", null, "packets without a route or that could not be sent", null,
                NodeStatus.Traffic::dropped);
        counter(registry, "vpncloud.datagrams.invalid", null,
                "datagrams dropped as malformed, unauthenticated, replayed or from unknown senders", null,
                NodeStatus.Traffic::invalid);
        counter(registry, "vpncloud.packets.flooded", null,
                "packets no claim or learned address placed, sent to every peer", null, NodeStatus.Traffic::flooded);
        counter(registry, "vpncloud.addresses.unlearned", null,
                "source addresses not learned because the learning table was full", null,
                NodeStatus.Traffic::unlearned);
        counter(registry, "vpncloud.control.packets", null, "control datagrams sent", null,
                NodeStatus.Traffic::controlPacketsOut);
        counter(registry, "vpncloud.control.bytes", null, "control bytes sent", "bytes",
                NodeStatus.Traffic::controlBytesOut);
        bound.add(new TaggedGauges(
                multiGauge(registry, "vpncloud.claim.users", "peers that route this own range to this node"),
                multiGauge(registry, "vpncloud.claim.active", "1 while this node is active for this own range"),
                multiGauge(registry, "vpncloud.range.claimants", "nodes that claim this range"),
                multiGauge(registry, "vpncloud.peer.claims", "ranges this peer claims")));
        refresh();
        startRefresher();
    }

    /**
     * Registers the tagged gauges anew for the node's current peers and ranges, and removes those of peers and
     * ranges that are gone. Cheap; blocking only as long as {@link VpnNode#status()}.
     */
    public void refresh() {
        Optional<NodeStatus> status = freshStatus();
        List<NodeStatus.OwnClaim> own = status.map(NodeStatus::ownClaims).orElse(List.of());
        Map<String, Long> claimants = status.map(s -> s.claims().stream()
                .collect(Collectors.groupingBy(c -> c.range().toString(), Collectors.counting()))).orElse(Map.of());
        List<NodeStatus.Peer> peers = status.map(NodeStatus::peers).orElse(List.of());
        for (TaggedGauges gauges : bound) {
            gauges.claimUsers().register(own.stream().map(c -> row(Tags.of("range", c.range().toString()),
                    s -> users(s, c.range()))).toList(), true);
            gauges.claimActive().register(own.stream().map(c -> row(Tags.of("range", c.range().toString()),
                    s -> active(s, c.range()))).toList(), true);
            gauges.rangeClaimants().register(claimants.keySet().stream().map(range -> row(Tags.of("range", range),
                    s -> s.claims().stream().filter(c -> c.range().toString().equals(range)).count())).toList(), true);
            gauges.peerClaims().register(peers.stream().map(p -> row(
                    Tags.of("peer", p.address().toString(), "node", p.nodeId().toString()),
                    s -> s.peers().stream().filter(q -> q.nodeId().equals(p.nodeId())).findFirst()
                            .map(q -> (double) q.claims().size()).orElse(Double.NaN))).toList(), true);
        }
    }

    /** Stops the refresh thread; the meters stay registered. */
    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    private synchronized void startRefresher() {
        if (refresher != null || refreshInterval.isZero()) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vpncloud-metrics");
            t.setDaemon(true);
            return t;
        });
        long nanos = refreshInterval.toNanos();
        refresher.scheduleWithFixedDelay(this::refresh, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void counter(MeterRegistry registry, String name, String direction, String description, String unit,
                         ToLongFunction<NodeStatus.Traffic> value) {
        FunctionCounter.Builder<VpnNodeMetrics> builder = FunctionCounter.builder(name, this,
                        m -> value.applyAsLong(m.traffic()))
                .tags(tags).description(description).baseUnit(unit);
        if (direction != null) {
            builder.tag("direction", direction);
        }
        builder.register(registry);
    }

    private MultiGauge multiGauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).tags(tags).description(description).register(registry);
    }

    private MultiGauge.Row<VpnNodeMetrics> row(Tags rowTags, ToDoubleFunction<NodeStatus> value) {
        return MultiGauge.Row.of(rowTags, this, m -> m.statusValue(value));
    }

    private static double users(NodeStatus status, IpRange range) {
        return status.ownClaims().stream().filter(c -> c.range().equals(range)).findFirst()
                .map(c -> (double) c.users()).orElse(Double.NaN);
    }

    private static double active(NodeStatus status, IpRange range) {
        return status.ownClaims().stream().filter(c -> c.range().equals(range)).findFirst()
                .map(c -> c.role() == VpnEvent.Role.ACTIVE ? 1.0 : 0.0).orElse(Double.NaN);
    }

    private double statusValue(ToDoubleFunction<NodeStatus> value) {
        return freshStatus().map(value::applyAsDouble).orElse(Double.NaN);
    }

    /** The traffic counters; zero before the node starts. */
    private NodeStatus.Traffic traffic() {
        freshStatus().ifPresent(s -> lastTraffic = s.traffic());
        return lastTraffic;
    }

    /** The node's status, asked at most once per 100 ms; empty before the node starts. */
    private Optional<NodeStatus> freshStatus() {
        CachedStatus c = cached;
        long now = System.nanoTime();
        if (now - c.takenAtNanos() < STATUS_MAX_AGE_NANOS) {
            return c.status();
        }
        Optional<NodeStatus> status;
        try {
            status = Optional.of(node.status());
        } catch (IllegalStateException e) {
            status = Optional.empty(); // not started yet
        }
        cached = new CachedStatus(status, now);
        return status;
    }
}
