package io.vpncloud.cli.system;

import java.util.List;

/**
 * What a finished external command did: its exit status and its standard output and error, interleaved.
 *
 * @param command  the command and its arguments
 * @param exitCode the exit status, or -1 when it was stopped for taking too long
 * @param output   standard output and standard error
 * @param timedOut whether it was stopped for taking too long
 */
record CommandResult(List<String> command, int exitCode, String output, boolean timedOut) {

    boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The first line of the output, without surrounding white space. */
    String firstLine() {
        String text = output.strip();
        int newline = text.indexOf('\n');
        return newline >= 0 ? text.substring(0, newline).strip() : text;
    }

    /** One paragraph for assertion messages: the command, how it ended and what it printed. */
    String describe() {
        String ending = timedOut ? "timed out" : "exited with " + exitCode;
        String printed = output.isBlank() ? "(no output)" : output.strip();
        return "`" + String.join(" ", command) + "` " + ending + ": " + printed;
    }

    /** Returns this result if the command succeeded, else fails the test with its description. */
    CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new AssertionError(describe());
        }
        return this;
    }
}
