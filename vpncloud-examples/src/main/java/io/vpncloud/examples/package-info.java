/**
 * Runnable examples of the vpncloud-java SDK: the high-availability demo ({@link io.vpncloud.examples.HaDemo}),
 * the hostname protocol of the VpnCloud HA tutorial ({@link io.vpncloud.examples.HostnameServer},
 * {@link io.vpncloud.examples.HostnameClient}) and an embedding example
 * ({@link io.vpncloud.examples.EmbeddedServer}). The {@code vpncloud} command is the module
 * vpncloud-cli.
 */
package io.vpncloud.examples;
