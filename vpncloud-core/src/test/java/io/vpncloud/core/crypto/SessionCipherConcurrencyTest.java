package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One session encrypts on one thread while it decrypts on another, and the receiving thread installs new keys
 * meanwhile (as key rotation does); every datagram must still open on the other side.
 */
class SessionCipherConcurrencyTest {
    private static final int MESSAGES = 20_000;
    private static final byte[] END = new byte[0];

    @Test
    void encryptAndDecryptRunConcurrentlyWhileKeysRotate() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        SessionCipher local = SessionCipher.create(Algorithm.AES128, secret, true, random);
        SessionCipher remote = SessionCipher.create(Algorithm.AES128, secret, false, random);
        // Datagrams from the remote side, prepared up front; halfway through, the remote switches to slot 1.
        byte[] rotated = new byte[32];
        random.nextBytes(rotated);
        List<byte[]> incoming = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            if (i == MESSAGES / 2) {
                remote.installSendKey(1, rotated);
            }
            incoming.add(SessionCipherTest.encrypt(remote, message(i)));
        }
        BlockingQueue<byte[]> outgoing = new ArrayBlockingQueue<>(1024);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> sender = threads.submit(() -> {
                start.await();
                ByteBuffer out = ByteBuffer.allocate(100);
                for (int i = 0; i < MESSAGES; i++) {
                    out.clear();
                    local.encrypt(ByteBuffer.wrap(message(i)), out);
                    outgoing.put(Arrays.copyOf(out.array(), out.position()));
                }
                outgoing.put(END);
                return null;
            });
            Future<?> receiver = threads.submit(() -> {
                start.await();
                ByteBuffer out = ByteBuffer.allocate(100);
                for (int i = 0; i < MESSAGES; i++) {
                    if (i == MESSAGES / 4) {
                        local.installReceiveKey(1, rotated);
                    }
                    out.clear();
                    local.decrypt(ByteBuffer.wrap(incoming.get(i)), out);
                    assertArrayEquals(message(i), Arrays.copyOf(out.array(), out.position()));
                }
                return null;
            });
            Future<Integer> peer = threads.submit(() -> {
                int received = 0;
                for (byte[] datagram = outgoing.take(); datagram != END; datagram = outgoing.take()) {
                    assertArrayEquals(message(received), SessionCipherTest.decrypt(remote, datagram));
                    received++;
                }
                return received;
            });
            start.countDown();
            sender.get(60, TimeUnit.SECONDS);
            receiver.get(60, TimeUnit.SECONDS);
            assertEquals(MESSAGES, peer.get(60, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
    }

    private static byte[] message(int i) {
        return ByteBuffer.allocate(40).putInt(i).putInt(36, i * 31).array();
    }

    /**
     * The data thread and the control thread encrypt for one session at the same time, without a lock: every
     * datagram gets a nonce of its own and opens on the other side.
     */
    @Test
    void dataAndControlLanesEncryptConcurrentlyWithDistinctNonces() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        SessionCipher local = SessionCipher.create(Algorithm.AES128, secret, true, random);
        SessionCipher remote = SessionCipher.create(Algorithm.AES128, secret, false, random);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<byte[]>> data = threads.submit(() -> encryptAll(local, false, start));
            Future<List<byte[]>> control = threads.submit(() -> encryptAll(local, true, start));
            start.countDown();
            List<byte[]> all = new ArrayList<>(data.get(30, TimeUnit.SECONDS));
            all.addAll(control.get(30, TimeUnit.SECONDS));
            // The receiver's replay window allows some reordering, not arbitrary: open them in nonce order.
            all.sort(java.util.Comparator.comparingLong(d -> SessionCipher.nonceCounter(ByteBuffer.wrap(d))));
            long previous = -1;
            for (byte[] datagram : all) {
                long counter = SessionCipher.nonceCounter(ByteBuffer.wrap(datagram));
                assertEquals(true, counter > previous, "nonce " + counter + " used twice");
                previous = counter;
                byte[] plain = SessionCipherTest.decrypt(remote, datagram);
                assertEquals(8, plain.length);
            }
            assertEquals(2 * MESSAGES, all.size());
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<byte[]> encryptAll(SessionCipher cipher, boolean control, CountDownLatch start)
            throws InterruptedException {
        start.await();
        List<byte[]> out = new ArrayList<>(MESSAGES);
        ByteBuffer buffer = ByteBuffer.allocate(100);
        for (int i = 0; i < MESSAGES; i++) {
            buffer.clear();
            ByteBuffer plain = ByteBuffer.allocate(8).putLong(0, i);
            if (control) {
                cipher.encryptControl(plain, buffer);
            } else {
                cipher.encrypt(plain, buffer);
            }
            out.add(Arrays.copyOf(buffer.array(), buffer.position()));
        }
        return out;
    }
}
