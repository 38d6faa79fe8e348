import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.InetAddress;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The least a JVM can do to carry a TUN device's packets over UDP: no protocol, no peers, no routing, one fixed
 * peer, libc called through JNA direct mapping (as vpncloud-java does). It is not a VPN and speaks nothing
 * VpnCloud understands; it only measures the floor of the round trip a Java data path can reach on a machine
 * (bench/floor/relay.sh runs it under bench/latency.sh).
 *
 * <p>Arguments: DEVICE PORT LOOP CRYPTO [PEER_HOST:PEER_PORT]. LOOP {@code one}: one thread waits for the device and
 * the socket at once with {@code poll}; {@code epoll}: the same with {@code epoll_wait} (the reference's design); {@code two}: a thread blocks on the device and
 * another on the socket. CRYPTO {@code aes}: every packet is sealed with the JDK's AES-128-GCM (a fixed all-zero
 * key, a counter nonce sent in front), as the node does per packet; {@code plain}: sent as it is. The side without
 * a peer learns it from the first datagram; the side with one sends an empty datagram at start.
 */
public final class FloorRelay {
    static {
        Native.register("c");
    }

    private static final int O_RDWR = 2;
    private static final long TUNSETIFF = 0x400454caL;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final short POLLIN = 1;
    private static final int MAX = 65536;
    private static final int NONCE = 12;
    private static final SecretKeySpec KEY = new SecretKeySpec(new byte[16], "AES");

    private static native int open(String path, int flags);

    private static native int ioctl(int fd, long request, byte[] argument);

    private static native long read(int fd, long buffer, long count);

    private static native long write(int fd, long buffer, long count);

    private static native int socket(int domain, int type, int protocol);

    private static native int bind(int fd, byte[] address, int length);

    private static native long sendto(int fd, long buffer, long length, int flags, byte[] address, int addressLength);

    private static native long recvfrom(int fd, long buffer, long length, int flags, byte[] address, int[] length2);

    private static native int poll(long fds, long count, int timeout);

    private static native int epoll_create1(int flags);

    private static native int epoll_ctl(int epoll, int operation, int fd, long event);

    private static native int epoll_wait(int epoll, long events, int maxEvents, int timeout);

    private static int device;
    private static int socket;
    private static boolean sealed;
    /** The peer's sockaddr_in; learned from the first datagram when not given. */
    private static volatile byte[] peer;

    private FloorRelay() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        boolean oneLoop = args[2].equals("one");
        boolean epollLoop = args[2].equals("epoll");
        sealed = args[3].equals("aes");
        device = openTun(name);
        socket = socket(AF_INET, SOCK_DGRAM, 0);
        if (socket < 0 || bind(socket, sockaddr(new byte[4], port), 16) < 0) {
            throw new IllegalStateException("cannot bind UDP port " + port);
        }
        if (args.length > 4) {
            String[] hostPort = args[4].split(":");
            peer = sockaddr(InetAddress.getByName(hostPort[0]).getAddress(), Integer.parseInt(hostPort[1]));
            sendto(socket, Pointer.nativeValue(new Memory(1)), 0, 0, peer, 16); // tells the other side where we are
        }
        System.out.println("relaying " + name + " over UDP port " + port + ": " + args[2] + " loop, " + args[3]);
        if (oneLoop) {
            oneLoop();
        } else if (epollLoop) {
            epollLoop();
        } else {
            Direction out = new Direction();
            Thread deviceThread = new Thread(() -> forever(out::fromDevice), "device-to-network");
            deviceThread.start();
            forever(new Direction()::fromNetwork);
        }
    }

    private static int openTun(String name) {
        int fd = open("/dev/net/tun", O_RDWR);
        byte[] request = new byte[40]; // struct ifreq: the name, then the flags
        byte[] bytes = name.getBytes();
        System.arraycopy(bytes, 0, request, 0, bytes.length);
        request[16] = 0x01; // IFF_TUN
        request[17] = 0x10; // IFF_NO_PI
        if (fd < 0 || ioctl(fd, TUNSETIFF, request) < 0) {
            throw new IllegalStateException("cannot open TUN device " + name);
        }
        return fd;
    }

    private static byte[] sockaddr(byte[] ip, int port) {
        byte[] address = new byte[16];
        address[0] = AF_INET;
        address[2] = (byte) (port >> 8);
        address[3] = (byte) port;
        System.arraycopy(ip, 0, address, 4, 4);
        return address;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void forever(Step step) {
        try {
            while (true) {
                step.run();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference's design: one thread, one poll for both descriptors. */
    private static void oneLoop() throws Exception {
        Direction out = new Direction();
        Direction in = new Direction();
        Memory fds = new Memory(16);
        fds.setInt(0, device);
        fds.setShort(4, POLLIN);
        fds.setInt(8, socket);
        fds.setShort(12, POLLIN);
        long address = Pointer.nativeValue(fds);
        while (true) {
            fds.setShort(6, (short) 0);
            fds.setShort(14, (short) 0);
            if (poll(address, 2, -1) <= 0) {
                continue;
            }
            if (fds.getShort(14) != 0) {
                in.fromNetwork();
            }
            if (fds.getShort(6) != 0) {
                out.fromDevice();
            }
        }
    }

    /**
     * Like {@link #oneLoop}, but waiting with {@code epoll_wait} on descriptors registered once, as the reference
     * does: {@code poll} adds the thread to and removes it from both descriptors' wait queues on every call.
     */
    private static void epollLoop() throws Exception {
        Direction out = new Direction();
        Direction in = new Direction();
        int epoll = epoll_create1(0);
        Memory event = new Memory(12); // struct epoll_event is packed on x86-64: u32 events, u64 data
        event.setInt(0, POLLIN);
        event.setLong(4, device);
        epoll_ctl(epoll, 1, device, Pointer.nativeValue(event));
        event.setLong(4, socket);
        epoll_ctl(epoll, 1, socket, Pointer.nativeValue(event));
        Memory events = new Memory(24);
        long address = Pointer.nativeValue(events);
        while (true) {
            int ready = epoll_wait(epoll, address, 2, -1);
            for (int i = 0; i < ready; i++) {
                long fd = events.getLong(i * 12L + 4);
                if (fd == socket) {
                    in.fromNetwork();
                } else {
                    out.fromDevice();
                }
            }
        }
    }

    /** The buffers and the cipher of one direction, for one thread. */
    private static final class Direction {
        private final Memory buffer = new Memory(MAX + NONCE + 16);
        private final long address = Pointer.nativeValue(buffer);
        private final byte[] plain = new byte[MAX];
        private final byte[] sealedBytes = new byte[MAX + NONCE + 16];
        private final byte[] sender = new byte[16];
        private final int[] senderLength = new int[1];
        private final byte[] nonce = new byte[NONCE];
        private final Cipher cipher;
        private long counter;

        Direction() throws Exception {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.getProvider();
        }

        void fromDevice() throws Exception {
            long length = read(device, address, MAX);
            byte[] to = peer;
            if (length <= 0 || to == null) {
                return;
            }
            if (sealed) {
                buffer.read(0, plain, 0, (int) length);
                counter++;
                for (int i = 0; i < 8; i++) {
                    nonce[i] = (byte) (counter >>> (8 * i));
                }
                cipher.init(Cipher.ENCRYPT_MODE, KEY, new GCMParameterSpec(128, nonce));
                System.arraycopy(nonce, 0, sealedBytes, 0, NONCE);
                length = NONCE + cipher.doFinal(plain, 0, (int) length, sealedBytes, NONCE);
                buffer.write(0, sealedBytes, 0, (int) length);
            }
            sendto(socket, address, length, 0, to, 16);
        }

        void fromNetwork() throws Exception {
            senderLength[0] = 16;
            long length = recvfrom(socket, address, MAX, 0, sender, senderLength);
            if (length < 0) {
                return;
            }
            if (peer == null) {
                peer = sender.clone();
            }
            if (length == 0) {
                return;
            }
            if (sealed) {
                buffer.read(0, sealedBytes, 0, (int) length);
                System.arraycopy(sealedBytes, 0, nonce, 0, NONCE);
                cipher.init(Cipher.DECRYPT_MODE, KEY, new GCMParameterSpec(128, nonce));
                length = cipher.doFinal(sealedBytes, NONCE, (int) length - NONCE, plain, 0);
                buffer.write(0, plain, 0, (int) length);
            }
            write(device, address, length);
        }
    }
}
