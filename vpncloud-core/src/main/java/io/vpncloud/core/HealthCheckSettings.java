package io.vpncloud.core;

import io.vpncloud.api.HealthCheck;

import java.time.Duration;

/**
 * A health check and how it is run, with keepalived's {@code track_script} semantics: the check runs every
 * {@code interval} on its own thread; a run that takes longer than {@code timeout} counts as failed; the node's
 * claims are withdrawn after {@code fall} consecutive failures and restored after {@code rise} consecutive
 * successes.
 */
record HealthCheckSettings(HealthCheck check, Duration interval, Duration timeout, int rise, int fall) {
}
