package io.vpncloud.api;

/**
 * Tells whether the service behind this node's claims is healthy. A node whose check fails withdraws its
 * claims (its peers then route to the next claimant) and claims them again once the check passes.
 *
 * <p>The node calls the check on a thread of its own, every interval given with
 * {@code VpnNode.Builder.healthCheck(...)}, never on a thread that carries packets or runs the node's control
 * plane, so a check may block (probe a local service, run a command). A call that takes longer than the timeout,
 * or that throws, counts as a failure; while a call hangs no second one is started, and every interval it keeps
 * hanging counts as another failure. The claims are withdrawn after {@code fall} consecutive failures and restored
 * after {@code rise} consecutive successes. A call is interrupted when the node stops.
 */
@FunctionalInterface
public interface HealthCheck {
    /**
     * Runs the check; called on the health check thread, never on a data thread.
     *
     * @return true when the service is healthy
     */
    boolean healthy();
}
