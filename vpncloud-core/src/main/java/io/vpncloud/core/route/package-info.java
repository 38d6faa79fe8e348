/**
 * Internal: the claim router of TUN mode (PROTOCOL.md §9). {@link io.vpncloud.core.route.ClaimRouter} maps a
 * destination address to the peer that claimed the longest matching prefix, first-learned claimant first, with
 * lock-free lookups over an immutable snapshot. Not part of the public API; it may change without notice.
 */
package io.vpncloud.core.route;
