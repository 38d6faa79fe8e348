/**
 * Internal: the cryptography of the VpnCloud 2.x protocol — node identity (Ed25519), trusted keys, the session
 * cipher with its four key slots and strict replay window, the PING/PONG/PENG handshake ({@link
 * io.vpncloud.core.crypto.HandshakeState}) with its X25519 key agreement, key rotation, algorithm speeds and choice.
 *
 * <p>Not part of the public API; classes are public only so that other core packages can use them.
 */
package io.vpncloud.core.crypto;
