/**
 * Internal: where a packet or frame goes (PROTOCOL.md §9, §9a). {@link io.vpncloud.core.route.ClaimRouter} maps a
 * destination address to the peer that claimed the longest matching prefix, first-learned claimant first, with
 * lock-free lookups over an immutable snapshot; {@link io.vpncloud.core.route.FrameAddress} reads the addresses of
 * Ethernet frames and {@link io.vpncloud.core.route.LearningTable} remembers which peer an address was seen behind.
 * Not part of the public API; it may change without notice.
 */
package io.vpncloud.core.route;
