package io.vpncloud.core;

import io.vpncloud.api.DeviceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reference's table of modes (docs/PROTOCOL.md §9a): which switches each mode turns on per device type. */
class ForwardingModeTest {

    @ParameterizedTest(name = "{0} with {1}: learning {2}, broadcast {3}")
    @CsvSource({
            "NORMAL, TAP, true,  true",
            "NORMAL, TUN, false, false",
            "SWITCH, TAP, true,  true",
            "SWITCH, TUN, true,  true",
            "HUB,    TAP, false, true",
            "HUB,    TUN, false, true",
            "ROUTER, TAP, false, false",
            "ROUTER, TUN, false, false"})
    void switchesFollowTheReferencesTable(ForwardingMode mode, DeviceType type, boolean learning, boolean broadcast) {
        assertEquals(learning, mode.learning(type), "learning");
        assertEquals(broadcast, mode.broadcast(type), "broadcast");
    }
}
