package io.vpncloud.core;

import io.vpncloud.api.IpRange;
import io.vpncloud.api.TunDevice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The throw-away devices {@link DataPathWarmUp} sends its packets through: a pair of the node's own device class
 * ({@link TunDevice#warmUpPair()}) when it has one, so that the device's code is compiled too, else two in-memory
 * devices. The send path reads packets that {@link #inject} put in; the receive path writes them where
 * {@link #takeDelivered} finds them.
 */
abstract sealed class WarmUpDevices implements AutoCloseable {
    private WarmUpDevices() {
    }

    /** A pair of the same class as {@code device}, or in-memory devices when it has none or it fails. */
    static WarmUpDevices like(TunDevice device) {
        Optional<List<TunDevice>> pair;
        try {
            pair = device.warmUpPair();
        } catch (IOException e) {
            pair = Optional.empty();
        }
        return pair.isPresent() ? new Joined(pair.get().get(0), pair.get().get(1)) : inMemory();
    }

    static WarmUpDevices inMemory() {
        return new InMemory();
    }

    /** The device the send path reads from. */
    abstract TunDevice sending();

    /** The device the receive path writes to. */
    abstract TunDevice receiving();

    /** Makes {@code packet} the sending device's next read. */
    abstract void inject(byte[] packet) throws IOException, InterruptedException;

    /** Takes the packet the receive path wrote, if it arrived. */
    abstract boolean takeDelivered() throws IOException, InterruptedException;

    @Override
    public abstract void close() throws IOException;

    /**
     * Two devices joined to each other: the path uses the inner one (read by the send path, written by the receive
     * path); the warm-up writes its packets into the outer one and reads the delivered ones from it.
     */
    private static final class Joined extends WarmUpDevices {
        private final TunDevice outer;
        private final TunDevice inner;
        private final ByteBuffer delivered = ByteBuffer.allocate(65536 + 64);

        Joined(TunDevice outer, TunDevice inner) {
            this.outer = outer;
            this.inner = inner;
        }

        @Override
        TunDevice sending() {
            return inner;
        }

        @Override
        TunDevice receiving() {
            return inner;
        }

        @Override
        void inject(byte[] packet) throws IOException {
            outer.write(ByteBuffer.wrap(packet));
            outer.flush();
        }

        @Override
        boolean takeDelivered() throws IOException {
            // The receive path flushed the inner device, so the packet is there: this read does not wait.
            return outer.read(delivered.clear()) > 0;
        }

        @Override
        public void close() throws IOException {
            try {
                outer.close();
            } finally {
                inner.close();
            }
        }

        @Override
        public String toString() {
            return "a pair of " + inner.getClass().getSimpleName();
        }
    }

    /** Two in-memory devices, for device classes without a pair. */
    private static final class InMemory extends WarmUpDevices {
        private final MemoryTunDevice from = new MemoryTunDevice("warm-up-a", range(1), 1500, 4);
        private final MemoryTunDevice to = new MemoryTunDevice("warm-up-b", range(2), 1500, 4);

        @Override
        TunDevice sending() {
            return from;
        }

        @Override
        TunDevice receiving() {
            return to;
        }

        @Override
        void inject(byte[] packet) throws IOException, InterruptedException {
            from.inject(packet);
        }

        @Override
        boolean takeDelivered() throws InterruptedException {
            return to.receive(Duration.ZERO).isPresent();
        }

        @Override
        public void close() {
            from.close();
            to.close();
        }

        @Override
        public String toString() {
            return "in-memory devices";
        }

        private static IpRange range(int host) {
            return IpRange.parse("192.0.2." + host + "/24");
        }
    }
}
