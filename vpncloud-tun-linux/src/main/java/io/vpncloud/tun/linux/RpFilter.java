package io.vpncloud.tun.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse-path filter settings under {@code /proc/sys/net/ipv4/conf}. The kernel applies the larger of
 * {@code all} and the interface's value. Like the reference's {@code --fix-rp-filter}, {@link #fix} makes
 * that strict (1), which protects against CVE-2019-14899 and still accepts VPN packets whose source is routed
 * back through the TUN device.
 */
final class RpFilter {

    /** Strict reverse-path filtering, RFC 3704. */
    static final int STRICT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(RpFilter.class);
    private static final String ALL = "all";

    private final Path confDirectory;

    /** Settings under {@code confDirectory} (normally {@code /proc/sys/net/ipv4/conf}). */
    RpFilter(Path confDirectory) {
        this.confDirectory = confDirectory;
    }

    /** This machine's settings. */
    static RpFilter system() {
        return new RpFilter(Path.of("/proc/sys/net/ipv4/conf"));
    }

    /** The value the kernel applies to {@code interfaceName}. */
    int effective(String interfaceName) throws IOException {
        return Math.max(value(ALL), value(interfaceName));
    }

    /** Lowers {@code all} to strict if it is loose, and sets the interface to strict, as the reference does. */
    void fix(String interfaceName) throws IOException {
        if (value(ALL) > STRICT) {
            set(ALL, STRICT);
        }
        if (value(interfaceName) != STRICT) {
            set(interfaceName, STRICT);
        }
    }

    int value(String interfaceName) throws IOException {
        String text = Files.readString(file(interfaceName), StandardCharsets.US_ASCII).trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IOException("unreadable rp_filter value '" + text + "' in " + file(interfaceName));
        }
    }

    private void set(String interfaceName, int value) throws IOException {
        LOG.info("Setting net.ipv4.conf.{}.rp_filter={}", interfaceName, value);
        Files.writeString(file(interfaceName), value + "\n", StandardCharsets.US_ASCII);
    }

    private Path file(String interfaceName) {
        return confDirectory.resolve(interfaceName).resolve("rp_filter");
    }
}
