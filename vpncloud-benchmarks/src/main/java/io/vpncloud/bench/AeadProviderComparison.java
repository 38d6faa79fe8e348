package io.vpncloud.bench;

import io.vpncloud.core.crypto.AeadProvider;
import io.vpncloud.core.crypto.Algorithm;
import io.vpncloud.core.crypto.AlgorithmSpeeds;
import io.vpncloud.core.crypto.AlgorithmSpeeds.ProviderSpeed;
import java.time.Duration;
import java.util.List;

/**
 * Every available AEAD provider with every algorithm, side by side: the start-up speed measurement's alternating
 * slices, run for seconds instead of milliseconds, so that a machine's changing load hits all of them alike.
 * Prints a Markdown table in the reference's unit (10^6 bytes encrypted plus decrypted per second, 1000-byte
 * messages). Usage: {@code java -cp benchmarks.jar io.vpncloud.bench.AeadProviderComparison [warm-up s] [measure s]}.
 */
public final class AeadProviderComparison {
    private AeadProviderComparison() {
    }

    public static void main(String[] args) {
        int warmUpSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int measureSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Algorithm> algorithms = List.of(Algorithm.AES128, Algorithm.AES256, Algorithm.CHACHA20);
        List<AeadProvider> providers = AeadProvider.available();
        AlgorithmSpeeds.measureProviders(algorithms, providers, Duration.ofSeconds(warmUpSeconds), System::nanoTime);
        List<ProviderSpeed> speeds = AlgorithmSpeeds.measureProviders(algorithms, providers,
                Duration.ofSeconds(measureSeconds), System::nanoTime);
        StringBuilder header = new StringBuilder("| algorithm |");
        StringBuilder rule = new StringBuilder("|---|");
        for (AeadProvider provider : providers) {
            header.append(' ').append(provider).append(" MB/s |");
            rule.append("---|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (Algorithm algorithm : algorithms) {
            StringBuilder row = new StringBuilder("| " + algorithm + " |");
            for (AeadProvider provider : providers) {
                speeds.stream().filter(s -> s.algorithm() == algorithm && s.provider() == provider)
                        .forEach(s -> row.append(String.format(" %.0f |", s.speed())));
            }
            System.out.println(row);
        }
    }
}
