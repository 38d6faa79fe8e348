package io.vpncloud.bench;

import io.vpncloud.core.crypto.AeadProvider;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.AuthenticationFailedException;
import io.vpncloud.core.crypto.SessionCipher;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encrypt plus decrypt of one datagram through two {@link SessionCipher}s, per algorithm and AEAD provider: the
 * numbers behind {@link AeadProvider#fastestFor}. Throughput in operations per second; one operation moves
 * {@code size} bytes through encryption and again through decryption, so the reference's unit (10^6 bytes
 * encrypted plus decrypted per second) is {@code ops/s * 2 * size / 10^6}. See docs/BENCHMARKS.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionCipherBenchmark {
    @Param({"AES128", "AES256", "CHACHA20"})
    public Algorithm algorithm;

    @Param({"JDK", "BOUNCY_CASTLE", "CONSCRYPT"})
    public AeadProvider provider;

    /** 1000 bytes as in the reference's speed test; 1400 bytes as a full-size tunnelled packet. */
    @Param({"1000", "1400"})
    public int size;

    /**
     * Where the bytes live: on the heap, or in direct (off-heap) buffers as a socket or TUN device would hand them
     * over. {@code -p buffers=HEAP,DIRECT} shows what giving direct buffers to the JDK's ciphers costs, which
     * decides where the data paths keep the bytes they encrypt (docs/BENCHMARKS.md).
     */
    @Param({"HEAP"})
    public String buffers;

    private SessionCipher sender;
    private SessionCipher receiver;
    private ByteBuffer message;
    private ByteBuffer datagram;
    private ByteBuffer decrypted;

    @Setup
    public void createSession() {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        sender = SessionCipher.create(algorithm, secret, true, random, provider);
        receiver = SessionCipher.create(algorithm, secret, false, random, provider);
        message = allocate(size);
        datagram = allocate(size + SessionCipher.OVERHEAD);
        decrypted = allocate(size + SessionCipher.OVERHEAD);
    }

    private ByteBuffer allocate(int capacity) {
        return buffers.equals("DIRECT") ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    @Benchmark
    public ByteBuffer encryptAndDecrypt() throws AuthenticationFailedException {
        sender.encrypt(message.clear(), datagram.clear());
        receiver.decrypt(datagram.flip(), decrypted.clear());
        return decrypted;
    }
}
