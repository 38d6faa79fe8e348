/**
 * Pure codecs for the VpnCloud 2.x wire format (PROTOCOL.md §2, §4.1, §6, §7): no I/O, no state.
 * Decoders read from a {@link java.nio.ByteBuffer} and reject malformed input with the checked
 * {@link io.vpncloud.core.wire.MalformedMessageException}; they never throw unchecked exceptions for bad input,
 * never loop without consuming input and never allocate more than the input holds.
 * Encoders write into a {@link java.nio.ByteBuffer} (or return the datagram bytes).
 *
 * <p>Internal package of vpncloud-core: not part of the public API.
 */
package io.vpncloud.core.wire;
