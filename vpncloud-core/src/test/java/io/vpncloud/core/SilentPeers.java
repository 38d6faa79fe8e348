package io.vpncloud.core;

import io.vpncloud.api.NodeId;
import io.vpncloud.api.PeerAddress;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.HandshakeContext;
import io.vpncloud.core.crypto.HandshakeState;
import io.vpncloud.core.crypto.Identity;
import io.vpncloud.core.crypto.TrustedKeys;
import io.vpncloud.core.wire.AlgorithmSpeed;
import io.vpncloud.core.wire.MessageType;
import io.vpncloud.core.wire.NodeInfo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Many lightweight peers for one node under test: each is a plain UDP socket on its own loopback address with a
 * real handshake (as initiator) driven by the test, and nothing behind it. Once connected they never send again,
 * as nodes that crashed; what the node sends them is read only when a test asks for it.
 */
final class SilentPeers implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<DatagramChannel> channels = new ArrayList<>();
    private final Selector selector;
    private final Identity identity;
    private final ByteBuffer buffer = ByteBuffer.allocate(65536);

    /**
     * Opens {@code count} sockets on the addresses {@code 127.<subnet>.x.y}: one source address each, so that
     * no per-address limit of the node applies to them.
     *
     * @param password the password of the node they will connect to
     */
    SilentPeers(int count, int subnet, String password) throws IOException {
        this.identity = Identity.fromPassword(password);
        this.selector = Selector.open();
        for (int i = 0; i < count; i++) {
            String address = "127." + subnet + "." + (i / 250) + "." + (i % 250 + 1);
            DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(address, 0));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, i);
            channels.add(channel);
        }
    }

    /** A handshake context of a new node (own id, no claims) with the shared key. */
    private HandshakeContext contextForNewPeer() {
        NodeId id = NodeId.random();
        NodeInfo own = NodeInfo.of(id, List.of(), List.of(), OptionalInt.of(300), List.of());
        return new HandshakeContext(identity, TrustedKeys.onlyOwn(identity), id,
                List.of(new AlgorithmSpeed(Algorithm.AES128.id(), 1000f)), RANDOM, () -> own);
    }

    int size() {
        return channels.size();
    }

    /** Where peer {@code index} is, as the node sees it. */
    PeerAddress address(int index) throws IOException {
        return PeerAddress.of((InetSocketAddress) channels.get(index).getLocalAddress());
    }

    /** Peer {@code index} crashes: its socket closes without a word, its host stays up. */
    void crash(int index) throws IOException {
        channels.get(index).close();
    }

    /**
     * Connects every peer to {@code node}, {@code window} handshakes at a time.
     *
     * @param wait how long one window may take before the test fails
     */
    void connectAll(TestNode node, int window, Duration wait) throws IOException {
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", node.node.listenAddress().getPort());
        for (int first = 0; first < channels.size(); first += window) {
            int end = Math.min(channels.size(), first + window);
            Map<Integer, HandshakeState> pending = new HashMap<>();
            for (int i = first; i < end; i++) {
                HandshakeState state = HandshakeState.initiator(contextForNewPeer());
                pending.put(i, state);
                channels.get(i).send(ByteBuffer.wrap(state.start()), target);
            }
            long deadline = System.nanoTime() + wait.toNanos();
            while (!pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(pending.size() + " handshakes with " + node + " did not finish within "
                            + wait);
                }
                selector.select(Math.max(1, left / 1_000_000));
                for (SelectionKey key : selector.selectedKeys()) {
                    int index = (Integer) key.attachment();
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    for (ByteBuffer datagram = receive(channel); datagram != null; datagram = receive(channel)) {
                        HandshakeState state = pending.get(index);
                        if (state == null || !isInit(datagram)) {
                            continue; // session messages (key rotation, NodeInfo) are not answered
                        }
                        HandshakeState.Step step = state.handle(datagram);
                        if (step instanceof HandshakeState.Established established) {
                            channel.send(ByteBuffer.wrap(established.datagramToSend()), target);
                            pending.remove(index);
                        } else if (step instanceof HandshakeState.Send send) {
                            channel.send(ByteBuffer.wrap(send.datagram()), target);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }

    /** Reads and forgets everything the node sent so far. */
    void drain() throws IOException {
        selector.selectNow();
        for (SelectionKey key : selector.selectedKeys()) {
            DatagramChannel channel = (DatagramChannel) key.channel();
            while (receive(channel) != null) {
                // forgotten
            }
        }
        selector.selectedKeys().clear();
    }

    /**
     * Waits until at least {@code atLeast} of the peers received an init message (the node connecting to them
     * again), or {@code wait} passed; returns how many did.
     */
    int awaitInitMessages(int atLeast, Duration wait) throws IOException {
        Set<Integer> dialed = new HashSet<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (dialed.size() < atLeast) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            selector.select(Math.max(1, left / 1_000_000));
            for (SelectionKey key : selector.selectedKeys()) {
                DatagramChannel channel = (DatagramChannel) key.channel();
                for (ByteBuffer datagram = receive(channel); datagram != null; datagram = receive(channel)) {
                    if (isInit(datagram)) {
                        dialed.add((Integer) key.attachment());
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        return dialed.size();
    }

    private ByteBuffer receive(DatagramChannel channel) throws IOException {
        buffer.clear();
        if (channel.receive(buffer) == null) {
            return null;
        }
        buffer.flip();
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining()).put(buffer);
        return copy.flip();
    }

    private static boolean isInit(ByteBuffer datagram) {
        return datagram.hasRemaining() && (datagram.get(0) & 0xFF) == MessageType.INIT_MARKER;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        for (DatagramChannel channel : channels) {
            channel.close();
        }
    }
}
