package dev.vitals.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Debian's {@code wrk} for a GET rate: one thread (the machine has few cores, and the servers measured share
 * them), a number of kept-alive connections, a bounded duration.
 */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)\\s*$");
    private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses:\\s+(\\d+)\\s*$");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("(?m)^\\s*Socket errors:.*$");

    private Wrk() {
    }

    /** Whether {@code wrk} is on the PATH. */
    static boolean installed() {
        try {
            Process probe = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            probe.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GETs {@code url} over {@code connections} connections for {@code duration}; requests per second. */
    static double rate(String url, int connections, Duration duration) throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "10s", url).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IOException("wrk did not end");
        }
        return parseRate(output).orElseThrow(() -> new IOException("wrk said no rate: " + output.strip()));
    }

    /**
     * Requests per second from wrk's output; empty when it gives none, or when any answer was not a success or
     * any socket failed (a rate of errors is no rate of GETs).
     */
    static OptionalDouble parseRate(String output) {
        Matcher non2xx = NON_2XX.matcher(output);
        if ((non2xx.find() && Long.parseLong(non2xx.group(1)) > 0) || SOCKET_ERRORS.matcher(output).find()) {
            return OptionalDouble.empty();
        }
        Matcher rate = RATE.matcher(output);
        return rate.find() ? OptionalDouble.of(Double.parseDouble(rate.group(1))) : OptionalDouble.empty();
    }
}
