/**
 * The {@code vpncloud} command line: the reference's options and YAML config file
 * ({@link io.vpncloud.cli.CommandLineOptions}, {@link io.vpncloud.cli.ConfigFile}, both producing
 * an immutable {@link io.vpncloud.cli.CliConfig}), and running a node from it
 * ({@link io.vpncloud.cli.NodeRunner}) with hooks, stats file, statsd, beacons, pid file, privilege drop and daemon
 * mode; shell completion scripts and the {@code genkey} subcommand.
 */
package io.vpncloud.cli;
