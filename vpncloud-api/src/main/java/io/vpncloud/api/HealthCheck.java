package io.vpncloud.api;

/**
 * Tells whether the service behind this node's claims is healthy. A node whose check fails withdraws its
 * claims (its peers then route to the next claimant) and claims them again once the check passes.
 * Called once per housekeeping tick on the housekeeping thread: return quickly.
 */
@FunctionalInterface
public interface HealthCheck {
    boolean healthy();
}
