package io.vpncloud.bench;

import io.vpncloud.core.crypto.AeadProvider;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.AuthenticationFailedException;
import io.vpncloud.core.crypto.ProviderChoice;
import io.vpncloud.core.crypto.SessionCipher;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
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
 * Encrypt plus decrypt of a 1400-byte AES-128-GCM datagram with the provider sessions use, in a JVM whose start-up
 * preparation either raced the providers ({@code RACE}: {@link ProviderChoice} warms and times both candidates of
 * every allowed algorithm) or had them set ({@code SET}: {@code -Dvpncloud.aead.provider}, only the chosen ones
 * are warmed). The race runs the other providers through the same JDK call sites ({@code javax.crypto.Cipher}), so
 * this shows whether what the JIT learnt from them costs the data path's cipher afterwards. Each parameter set runs
 * in its own fork, so each starts from a fresh JVM as a node does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProviderRaceAftermathBenchmark {
    @Param({"RACE", "SET"})
    public String preparation;

    /** The algorithms the node allows: AES-128 alone (as the round-trip benchmarks run) or all three. */
    @Param({"AES128", "ALL"})
    public String allowed;

    private SessionCipher sender;
    private SessionCipher receiver;
    private final ByteBuffer message = ByteBuffer.allocate(1400);
    private final ByteBuffer datagram = ByteBuffer.allocate(1400 + SessionCipher.OVERHEAD);
    private final ByteBuffer decrypted = ByteBuffer.allocate(1400 + SessionCipher.OVERHEAD);

    @Setup
    public void prepare() {
        List<Algorithm> algorithms = allowed.equals("ALL")
                ? List.of(Algorithm.AES128, Algorithm.AES256, Algorithm.CHACHA20) : List.of(Algorithm.AES128);
        if (preparation.equals("SET")) {
            System.setProperty(ProviderChoice.PROPERTY, "aes128=jdk,aes256=jdk,chacha20="
                    + AeadProvider.defaultFor(Algorithm.CHACHA20).name().toLowerCase(java.util.Locale.ROOT));
        }
        ProviderChoice.prepareOnce(algorithms);
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        sender = SessionCipher.create(Algorithm.AES128, secret, true, random);
        receiver = SessionCipher.create(Algorithm.AES128, secret, false, random);
    }

    @Benchmark
    public ByteBuffer encryptAndDecrypt() throws AuthenticationFailedException {
        sender.encrypt(message.clear(), datagram.clear());
        receiver.decrypt(datagram.flip(), decrypted.clear());
        return decrypted;
    }
}
