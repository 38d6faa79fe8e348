package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vpncloud.api.DeviceType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultRouteTest {

    private static final String HEADER =
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

    @Test
    void routeToAnyAddressNamesTheDevice() {
        List<String> table = List.of(HEADER,
                "wg0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "eth1\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                "eth2\t00000000\t010300C0\t0003\t0\t0\t100\t00000000\t0\t0\t0");

        assertEquals(Optional.of("eth1"), DefaultRoute.interfaceName(table));
    }

    @Test
    void withoutDefaultRouteTheLastRouteThroughAGatewayCounts() {
        List<String> table = List.of(HEADER,
                "eth0\t0000000A\t0101A8C0\t0003\t0\t0\t0\t000000FF\t0\t0\t0",
                "eth3\t000010AC\t0201A8C0\t0003\t0\t0\t0\t0000F0FF\t0\t0\t0",
                "eth4\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");

        assertEquals(Optional.of("eth3"), DefaultRoute.interfaceName(table));
    }

    @Test
    void onlyLinkRoutesMeanNoDefaultRoute() {
        List<String> table = List.of(HEADER, "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");

        assertEquals(Optional.empty(), DefaultRoute.interfaceName(table));
        assertEquals(Optional.empty(), DefaultRoute.interfaceName(List.of(HEADER)));
        assertEquals(Optional.empty(), DefaultRoute.interfaceName(List.of()));
    }

    @Test
    void defaultMtuSubtractsTheVpnCloudOverhead() {
        assertEquals(1427, DefaultMtu.forDefaultRouteMtu(Optional.of(1500)));
        assertEquals(8927, DefaultMtu.forDefaultRouteMtu(Optional.of(9000)));
        assertEquals(1427, DefaultMtu.forDefaultRouteMtu(Optional.empty()));
        assertEquals(1413, DefaultMtu.forDefaultRouteMtu(Optional.of(1500), DeviceType.TAP));
        assertEquals(1413, DefaultMtu.forDefaultRouteMtu(Optional.empty(), DeviceType.TAP));
        assertEquals(1427, DefaultMtu.forDefaultRouteMtu(Optional.of(1500), DeviceType.TUN));
    }
}
