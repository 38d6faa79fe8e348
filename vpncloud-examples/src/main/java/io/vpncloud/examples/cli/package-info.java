/**
 * The {@code vpncloud} command line: the reference's options and YAML config file
 * ({@link io.vpncloud.examples.cli.CommandLineOptions}, {@link io.vpncloud.examples.cli.ConfigFile}, both producing
 * an immutable {@link io.vpncloud.examples.cli.CliConfig}), and running a node from it
 * ({@link io.vpncloud.examples.cli.NodeRunner}) with hooks, stats file, pid file and daemon mode.
 */
package io.vpncloud.examples.cli;
