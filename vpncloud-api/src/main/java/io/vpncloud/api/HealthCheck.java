package io.vpncloud.api;

/**
 * Tells whether the service behind this node's claims is healthy. A node whose check fails {@code fall} times in a
 * row withdraws its claims (its peers then route to the next claimant) and claims them again once the check passes
 * {@code rise} times in a row. Called on the node's health thread, once per check interval; never on a thread
 * that carries packets. A call may block, but one that takes longer than the check's timeout counts as failed, and
 * it is interrupted when the node stops.
 */
@FunctionalInterface
public interface HealthCheck {
    boolean healthy();
}
