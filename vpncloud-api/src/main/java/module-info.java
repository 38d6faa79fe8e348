/**
 * The public API of vpncloud-java: value types, node events, health checks, name resolution and the TUN device
 * and UDP socket SPIs. Depends on nothing but the JDK.
 */
module io.vpncloud.api {
    exports io.vpncloud.api;
}
