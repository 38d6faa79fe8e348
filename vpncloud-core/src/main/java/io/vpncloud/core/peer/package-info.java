/**
 * Internal: the peer life cycle of PROTOCOL.md §8 as pure, clock-driven building blocks for the engine — the
 * table of connected peers, the NodeInfo broadcast and reconnect schedules, the handshake limiter and the mesh
 * rule. Nothing here does I/O or starts threads; time is always passed in. Not part of the public API; it may
 * change without notice.
 */
package io.vpncloud.core.peer;
