package io.vpncloud.cli;

import java.time.Duration;

/**
 * A duration with the text the user wrote for it, so that messages show {@code 20s} rather than {@code PT20S}.
 *
 * @param value the duration
 * @param text  as written on the command line or in the config file
 */
record WrittenDuration(Duration value, String text) {

    /** The text as written. */
    @Override
    public String toString() {
        return text;
    }
}
