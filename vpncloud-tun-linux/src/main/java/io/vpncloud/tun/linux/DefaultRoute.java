package io.vpncloud.tun.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the interface that carries the IPv4 default route, from the kernel's {@code /proc/net/route} table. */
final class DefaultRoute {

    private static final Path ROUTE_TABLE = Path.of("/proc/net/route");
    private static final String ANY = "00000000";

    private DefaultRoute() {
    }

    /** The default-route interface of this machine, or empty when there is none or the table is unreadable. */
    static Optional<String> interfaceName() {
        try {
            return interfaceName(Files.readAllLines(ROUTE_TABLE));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The default-route interface in a {@code /proc/net/route} table (header line first, tab-separated
     * columns {@code Iface Destination Gateway ...}). As the reference does: the first route to 0.0.0.0 wins;
     * without one, the last route through a gateway.
     */
    static Optional<String> interfaceName(List<String> table) {
        String viaGateway = null;
        for (String line : table.subList(Math.min(1, table.size()), table.size())) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length < 3) {
                continue;
            }
            if (columns[1].equals(ANY)) {
                return Optional.of(columns[0]);
            }
            if (!columns[2].equals(ANY)) {
                viaGateway = columns[0];
            }
        }
        return Optional.ofNullable(viaGateway);
    }
}
