package io.vpncloud.examples;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Answers every TCP connection with a name and a newline, then closes it: what
 * {@code socat -U tcp-listen:8000,reuseaddr,fork exec:hostname} does in the VpnCloud high-availability tutorial,
 * so that a client can see which server it reached.
 *
 * <pre>
 * java -cp vpncloud.jar io.vpncloud.examples.HostnameServer [--bind ADDR] [--port 8000] [NAME]
 * </pre>
 */
public final class HostnameServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostnameServer.class);

    /** The port of the tutorial. */
    public static final int DEFAULT_PORT = 8000;

    private final ServerSocket socket;
    private final byte[] answer;
    private final Thread acceptor;

    private HostnameServer(ServerSocket socket, String name) {
        this.socket = socket;
        this.answer = (name + "\n").getBytes(StandardCharsets.UTF_8);
        this.acceptor = new Thread(this::acceptLoop, "hostname-server");
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts answering at {@code address} (port 0 picks a free port).
     *
     * @param name the answer; see {@link #localHostName()} for the machine's name
     */
    public static HostnameServer start(InetSocketAddress address, String name) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address);
        HostnameServer server = new HostnameServer(socket, name);
        server.acceptor.start();
        return server;
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** This machine's host name, as the {@code hostname} command prints it (or "localhost" if it has none). */
    public static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept(); OutputStream out = connection.getOutputStream()) {
                // A few bytes fit any socket buffer: answering inline never blocks the next connection for long.
                out.write(answer);
            } catch (SocketException e) {
                if (!socket.isClosed()) {
                    LOG.debug("connection failed: {}", e.getMessage());
                }
            } catch (IOException e) {
                LOG.debug("connection failed: {}", e.getMessage());
            }
        }
    }

    /** Stops answering. */
    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the server until the process is stopped. */
    public static void main(String[] args) throws IOException, InterruptedException {
        String bind = "0.0.0.0";
        int port = DEFAULT_PORT;
        String name = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bind" -> bind = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> name = args[i];
            }
        }
        try (HostnameServer server = start(new InetSocketAddress(bind, port), name != null ? name : localHostName())) {
            System.out.println("answering at " + server.address());
            Thread.currentThread().join();
        }
    }
}
