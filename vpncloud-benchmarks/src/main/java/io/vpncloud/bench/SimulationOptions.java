package io.vpncloud.bench;

/**
 * The command-line options of {@link MeshScaleSimulation}.
 *
 * @param nodes              nodes to start
 * @param peerTimeoutSeconds every node's peer timeout
 * @param keepaliveSeconds   every node's NodeInfo interval, or 0 for the reference's default
 * @param windowSeconds      length of the idle window measured after the mesh formed
 * @param meshTimeoutSeconds how long to wait for the full mesh
 * @param seed               seed of the random choice of whom each node is told about
 * @param sharedAddress      whether all nodes listen on 127.0.0.1 (as nodes behind one NAT address) instead of
 *                           one loopback address each
 */
record SimulationOptions(int nodes, int peerTimeoutSeconds, int keepaliveSeconds, int windowSeconds,
                         int meshTimeoutSeconds, long seed, boolean sharedAddress) {

    static SimulationOptions parse(String[] args) {
        int nodes = 200;
        int peerTimeout = 300;
        int keepalive = 0;
        int window = 180;
        int meshTimeout = 900;
        long seed = 1;
        boolean sharedAddress = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--shared-address")) {
                sharedAddress = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--nodes" -> nodes = positive(option, value);
                case "--peer-timeout" -> peerTimeout = positive(option, value);
                case "--keepalive" -> keepalive = positive(option, value);
                case "--window" -> window = positive(option, value);
                case "--mesh-timeout" -> meshTimeout = positive(option, value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + option + " (known: --nodes,"
                        + " --peer-timeout, --keepalive, --window, --mesh-timeout, --seed, --shared-address)");
            }
        }
        if (nodes < 2) {
            throw new IllegalArgumentException("--nodes must be at least 2, not " + nodes);
        }
        return new SimulationOptions(nodes, peerTimeout, keepalive, window, meshTimeout, seed, sharedAddress);
    }

    private static int positive(String option, String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
        }
        if (parsed < 1) {
            throw new IllegalArgumentException(option + " must be positive, not " + value);
        }
        return parsed;
    }
}
