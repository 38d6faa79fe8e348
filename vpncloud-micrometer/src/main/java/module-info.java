/**
 * Micrometer metrics of a VPN node: {@link io.vpncloud.micrometer.VpnNodeMetrics} binds a node's peers, claims,
 * roles and traffic counters to a {@code MeterRegistry} (and so to Prometheus, JMX, Datadog ...).
 */
// Micrometer has no module descriptor; its automatic name is stable, and users of the binder need its types.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vpncloud.micrometer {
    requires transitive io.vpncloud.core;
    requires transitive micrometer.core;

    exports io.vpncloud.micrometer;
}
