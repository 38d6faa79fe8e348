package io.vpncloud.tun.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InterfaceNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"vpncloud%d", "tun0", "a", "vpn-ha_1.2", "fifteen_bytes_x", "%d"})
    void namesTheKernelTakes(String name) throws TunDeviceException {
        assertArrayEquals(name.getBytes(StandardCharsets.US_ASCII), InterfaceName.encode(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sixteen_bytes_xx", "ääääääää", ".", "..", "a/b", "a:1", "a b", "tab\t",
        "vpn%s", "vpn%d%d", "vpn%"})
    void namesTheKernelRefuses(String name) {
        TunDeviceException error = assertThrows(TunDeviceException.class, () -> InterfaceName.encode(name));

        assertEquals(TunDeviceException.Reason.INVALID_NAME, error.reason());
    }
}
