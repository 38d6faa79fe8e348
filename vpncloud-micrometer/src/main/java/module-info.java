/**
 * Micrometer metrics of a VPN node: {@link io.vpncloud.micrometer.VpnNodeMetrics} binds a node's peers, claims,
 * roles and traffic counters to a {@code MeterRegistry} (and so to Prometheus, JMX, Datadog ...).
 */
@SuppressWarnings("requires-automatic") // Micrometer has no module descriptor; its automatic name is stable
module io.vpncloud.micrometer {
    requires transitive io.vpncloud.core;
    requires transitive micrometer.core;

    exports io.vpncloud.micrometer;
}
