package io.vpncloud.bench;

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
 * Encrypt plus decrypt of one datagram through two {@link SessionCipher}s with the JDK's AEADs, with the buffers
 * on the heap or direct (off-heap). The data paths read packets into direct buffers for the device and the socket;
 * this shows what handing those buffers straight to the JDK cipher costs compared to byte arrays, which decides
 * where the data paths keep the bytes they encrypt.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CipherBufferBenchmark {
    @Param({"AES128", "CHACHA20"})
    public Algorithm algorithm;

    @Param({"HEAP", "DIRECT"})
    public String buffers;

    @Param({"64", "1400"})
    public int size;

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
        sender = SessionCipher.create(algorithm, secret, true, random);
        receiver = SessionCipher.create(algorithm, secret, false, random);
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
