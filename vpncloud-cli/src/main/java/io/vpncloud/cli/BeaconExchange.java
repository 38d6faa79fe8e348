package io.vpncloud.cli;

import io.vpncloud.api.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code --beacon-store} and {@code --beacon-load}, as the reference: at start and then every beacon interval, this
 * node's addresses (the advertised ones, then the socket's; at most three) are stored as a beacon, and the addresses
 * in the loaded beacons are connected to. A value starting with {@code |} is a shell command instead of a file: the
 * store command gets the beacon in {@code $beacon} (and {@code $begin}, {@code $data}, {@code $end}), the load
 * command gets {@code $begin} and {@code $end} and prints text holding beacons. Files, commands and name lookups run
 * on this class's own thread, never on the node's.
 */
final class BeaconExchange implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BeaconExchange.class);
    /** The reference ignores beacons older (or newer) than 50 hours. */
    static final OptionalInt TTL_HOURS = OptionalInt.of(50);
    private static final int MAX_ADDRESSES = 3;
    private static final long SECONDS_PER_HOUR = 3600;

    private final CliConfig.Beacon settings;
    private final BeaconCodec codec;
    private final Supplier<List<String>> ownAddresses;
    private final Consumer<PeerAddress> connect;
    private final InstantSource clock;
    private final ScheduledExecutorService timer = DaemonTimer.named("vpncloud-beacon");

    /**
     * @param settings     where to store and load, how often, and the password
     * @param ownAddresses this node's addresses as {@code HOST:PORT}, asked at every store
     * @param connect      connects the node to an address from a beacon
     * @param clock        for the beacon's hour
     */
    BeaconExchange(CliConfig.Beacon settings, Supplier<List<String>> ownAddresses, Consumer<PeerAddress> connect,
                   InstantSource clock) {
        this.settings = settings;
        this.codec = new BeaconCodec(settings.password().orElse(""));
        this.ownAddresses = ownAddresses;
        this.connect = connect;
        this.clock = clock;
    }

    /** Stores and loads now, on the beacon thread, and then every interval. */
    void start() {
        long interval = settings.interval().toNanos();
        timer.scheduleAtFixedRate(this::exchange, 0, interval, TimeUnit.NANOSECONDS);
    }

    /** One round: store, then load. Problems are logged; the next round tries again. */
    void exchange() {
        try {
            List<InetSocketAddress> own = resolve(ownAddresses.get());
            if (settings.store().isPresent()) {
                store(settings.store().get(), own.subList(0, Math.min(MAX_ADDRESSES, own.size())));
            }
            if (settings.load().isPresent()) {
                for (InetSocketAddress address : load(settings.load().get())) {
                    if (!own.contains(address)) {
                        connect.accept(PeerAddress.of(address));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("beacon: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long hour() {
        return clock.instant().getEpochSecond() / SECONDS_PER_HOUR;
    }

    private void store(String target, List<InetSocketAddress> addresses) throws IOException, InterruptedException {
        long hour = hour();
        if (target.startsWith("|")) {
            String data = codec.encodeData(addresses, hour);
            run("store", target.substring(1), Map.of("begin", codec.begin(), "data", data, "end", codec.end(),
                    "beacon", codec.begin() + data + codec.end()));
            return;
        }
        // Written beside and renamed, so that a reader (a web server, another node) never sees half a beacon.
        Path file = Path.of(target).toAbsolutePath();
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.writeString(temp, codec.encode(addresses, hour) + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r--r--r--"));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.debug("beacon stored in {} with {}", file, addresses);
    }

    private List<InetSocketAddress> load(String source) throws IOException, InterruptedException {
        String text = source.startsWith("|")
                ? run("load", source.substring(1), Map.of("begin", codec.begin(), "end", codec.end()))
                : Files.readString(Path.of(source), StandardCharsets.UTF_8);
        List<InetSocketAddress> addresses = codec.decode(text, TTL_HOURS, hour());
        LOG.debug("beacon loaded from {}: {}", source, addresses);
        return addresses;
    }

    /** Runs {@code sh -c command} with the variables and returns its output; a failure is an IOException. */
    private static String run(String what, String command, Map<String, String> variables)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command);
        builder.environment().putAll(variables);
        Path errors = Files.createTempFile("vpncloud-beacon", ".err");
        try {
            Process process = builder.redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (status != 0) {
                throw new IOException("beacon " + what + " command failed with status " + status + ": "
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            return output;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** {@code HOST:PORT} texts as socket addresses; IPv4-mapped IPv6 addresses become IPv4, as the reference's. */
    private static List<InetSocketAddress> resolve(List<String> addresses) throws UnknownHostException {
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (String text : addresses) {
            int colon = text.lastIndexOf(':');
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            InetAddress address = InetAddress.getByName(host);
            if (address instanceof Inet6Address v6 && isIpv4Mapped(v6.getAddress())) {
                byte[] bytes = v6.getAddress();
                address = Inet4Address.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
            }
            resolved.add(new InetSocketAddress(address, Integer.parseInt(text.substring(colon + 1))));
        }
        return resolved;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** Stops storing and loading. */
    @Override
    public void close() {
        DaemonTimer.stop(timer);
    }
}
