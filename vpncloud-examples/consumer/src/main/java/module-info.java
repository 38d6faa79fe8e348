/** A user's application on the module path: needs only vpncloud-core (which brings vpncloud-api). */
module io.vpncloud.consumer {
    requires io.vpncloud.core;
}
