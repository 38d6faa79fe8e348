package io.vpncloud.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Connects to a {@link HostnameServer} (or the tutorial's socat) and prints which server answered; with
 * {@code --repeat N --interval MS} it prints a timeline, which shows a failover as the change of the name.
 *
 * <pre>
 * java -cp vpncloud.jar io.vpncloud.examples.HostnameClient HOST:PORT [--repeat N] [--interval MS] [--timeout MS]
 * </pre>
 */
public final class HostnameClient {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final int MAX_ANSWER = 256;

    private HostnameClient() {
    }

    /**
     * Asks once: connects, reads the answer up to the end of the first line, closes.
     *
     * @throws IOException when nobody answers within {@code timeout}
     */
    public static String ask(InetSocketAddress server, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            int millis = (int) Math.max(1, timeout.toMillis());
            socket.connect(server, millis);
            socket.setSoTimeout(millis);
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(MAX_ANSWER);
            String text = new String(answer, StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            return (newline >= 0 ? text.substring(0, newline) : text).trim();
        }
    }

    /**
     * Asks {@code repeat} times, {@code interval} apart, and prints one line per answer: the time of day, the time
     * since the first probe and the name (or why there was none).
     */
    public static void timeline(InetSocketAddress server, int repeat, Duration interval, Duration timeout,
                                InstantSource clock, PrintStream out) throws InterruptedException {
        Instant first = clock.instant();
        for (int i = 0; i < repeat; i++) {
            if (i > 0) {
                Thread.sleep(interval.toMillis());
            }
            Instant now = clock.instant();
            String answer;
            try {
                answer = ask(server, timeout);
            } catch (IOException e) {
                answer = "(no answer: " + e.getMessage() + ")";
            }
            out.printf("%s  +%7.3fs  %s%n", TIME.format(LocalTime.ofInstant(now, ZoneId.systemDefault())),
                    Duration.between(first, now).toMillis() / 1000.0, answer);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        String target = null;
        int repeat = 1;
        long intervalMillis = 1000;
        long timeoutMillis = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--interval" -> intervalMillis = Long.parseLong(args[++i]);
                case "--timeout" -> timeoutMillis = Long.parseLong(args[++i]);
                default -> target = args[i];
            }
        }
        if (target == null || target.lastIndexOf(':') < 1) {
            System.err.println("usage: HostnameClient HOST:PORT [--repeat N] [--interval MS] [--timeout MS]");
            System.exit(2);
        }
        int colon = target.lastIndexOf(':');
        InetSocketAddress server = new InetSocketAddress(target.substring(0, colon),
                Integer.parseInt(target.substring(colon + 1)));
        timeline(server, repeat, Duration.ofMillis(intervalMillis), Duration.ofMillis(timeoutMillis),
                InstantSource.system(), System.out);
    }
}
