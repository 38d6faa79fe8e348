package io.vpncloud.bench;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one step of a ping's way through a node costs when it comes {@link #pauseMillis} after the last one, as a
 * ping every 10 ms does, against back to back: each call is timed alone ({@link Mode#SampleTime}), after a pause
 * that lets the machine take the caches for other work.
 *
 * <p>The calls are the pieces of a step: {@code sumOf64Ints} is the floor (a loop over 256 bytes, no I/O, no JDK
 * code), {@code aesGcmEncrypt} what the data path does per packet with the JDK ({@code Cipher.init} with a new
 * nonce, then {@code doFinal} of an 84-byte ping), {@code aesEcbSixBlocks} the AES of such a packet without the
 * GCM machinery (what a hand-made GCM over the JDK's AES would still pay), {@code jnaWrite} and
 * {@code fileChannelWrite} an 84-byte write to {@code /dev/null} through JNA direct mapping (as the TUN device
 * and the UDP socket are driven) and through the JDK's own native code. Every piece is compiled before the trial
 * ({@value #COMPILING_CALLS} calls back to back), so the pause measures the caches, not the interpreter.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ColdCallBenchmark {
    private static final int PACKET = 84;
    /**
     * Calls of each piece before the trial, back to back. With a pause before every call, JMH's own warm-up
     * iterations make a few hundred calls: too few for the JIT, so the paused calls would run interpreted.
     */
    private static final int COMPILING_CALLS = 30_000;

    /** The pause before each timed call; 0 for back to back. */
    @Param({"0", "10"})
    public int pauseMillis;

    private final int[] numbers = new int[64];
    private final byte[] blocks = new byte[96];
    private final byte[] blocksOut = new byte[96];
    private final byte[] nonce = new byte[12];
    private final ByteBuffer plaintext = ByteBuffer.allocate(PACKET);
    private final ByteBuffer sealed = ByteBuffer.allocate(PACKET + 16);
    private final ByteBuffer direct = ByteBuffer.allocateDirect(PACKET);
    private SecretKeySpec key;
    private Cipher gcm;
    private Cipher ecb;
    private long counter;
    private int devNull;
    private long directAddress;
    private FileOutputStream devNullStream;
    private FileChannel devNullChannel;

    /** {@code write(2)} bound the way the project binds its C library calls. */
    static final class DirectLibC {
        static final int O_WRONLY = 1;

        static {
            Native.register(DirectLibC.class, Platform.C_LIBRARY_NAME);
        }

        private DirectLibC() {
        }

        static native int open(String path, int flags);

        static native int close(int fd);

        static native long write(int fd, long buffer, long count);
    }

    @Setup(Level.Trial)
    public void open() throws GeneralSecurityException, IOException {
        key = new SecretKeySpec(new byte[16], "AES");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.getProvider(); // picks the provider now, as the data path's ciphers do, not in the first timed init
        ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, key);
        devNull = DirectLibC.open("/dev/null", DirectLibC.O_WRONLY);
        if (devNull < 0) {
            throw new IOException("cannot open /dev/null");
        }
        directAddress = Pointer.nativeValue(Native.getDirectBufferPointer(direct));
        devNullStream = new FileOutputStream("/dev/null");
        devNullChannel = devNullStream.getChannel();
        for (int i = 0; i < COMPILING_CALLS; i++) {
            sumOf64Ints();
            aesGcmEncrypt();
            aesEcbSixBlocks();
            jnaWrite();
            fileChannelWrite();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        DirectLibC.close(devNull);
        devNullStream.close();
    }

    /** The pause before each call: outside the timed part. */
    @Setup(Level.Invocation)
    public void pause() throws InterruptedException {
        if (pauseMillis > 0) {
            Thread.sleep(pauseMillis);
        }
    }

    @Benchmark
    public int sumOf64Ints() {
        int sum = 0;
        for (int number : numbers) {
            sum += number;
        }
        return sum;
    }

    @Benchmark
    public int aesGcmEncrypt() throws GeneralSecurityException {
        // A new nonce per packet, as the JDK refuses to encrypt twice with the same one.
        long next = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (next >>> (8 * i));
        }
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        plaintext.clear();
        sealed.clear();
        return gcm.doFinal(plaintext, sealed);
    }

    @Benchmark
    public int aesEcbSixBlocks() throws GeneralSecurityException {
        return ecb.update(blocks, 0, blocks.length, blocksOut, 0);
    }

    @Benchmark
    public long jnaWrite() {
        return DirectLibC.write(devNull, directAddress, PACKET);
    }

    @Benchmark
    public int fileChannelWrite() throws IOException {
        direct.clear();
        return devNullChannel.write(direct);
    }
}
