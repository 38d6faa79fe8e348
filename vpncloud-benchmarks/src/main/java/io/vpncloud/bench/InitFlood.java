package io.vpncloud.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Init messages from many source addresses, as an attacker with spoofed sources sends them: each is a PING that
 * VpnCloud 2.3.0 sent (recorded on the wire, password {@value #PASSWORD}), validly signed, so a node with that
 * password must do a handshake's cryptography to answer it. The sources are sockets on addresses
 * {@code 127.12.x.y}, all local on Linux's loopback.
 */
final class InitFlood implements AutoCloseable {
    /** The password the recorded PING is signed with; the nodes under test use it too. */
    static final String PASSWORD = "mysecret";
    private static final byte[] PING = HexFormat.of().parseHex(
            "ff3692be9a082224c601000101020014e89a75ff5299a0d4a16cb6dd0d8724492d2ae2e4030020a53dbb4c931cf5011ea6"
            + "f6a053b79fa4cee34d13b7bff0f95bddfe68fbbb632004000501454dcfe60040187af9abe9b3ad3d3cc9f4d51f679e"
            + "7c8ade670e3d635ebfb26ace18d8fd3b1887a516743033d50d4e931607fb92c70c6bb26b4b1791deaf6ccc4411b2841707");

    private final List<DatagramChannel> sources = new ArrayList<>();

    InitFlood(int sourceCount) throws IOException {
        for (int i = 0; i < sourceCount; i++) {
            sources.add(DatagramChannel.open().bind(new InetSocketAddress("127.12." + (i / 250) + "." + (i % 250 + 1), 0)));
        }
    }

    /** Sends {@code messages} PINGs to {@code target}, round-robin over the sources, as fast as they go. */
    void send(InetSocketAddress target, int messages) throws IOException {
        for (int i = 0; i < messages; i++) {
            sources.get(i % sources.size()).send(ByteBuffer.wrap(PING), target);
        }
    }

    @Override
    public void close() throws IOException {
        for (DatagramChannel source : sources) {
            source.close();
        }
    }
}
