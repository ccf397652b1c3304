package dev.vitals.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkTest {

    private static final String RUN = """
            Running 10s test @ http://127.0.0.1:18240/health/ping
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     3.10ms    1.22ms  30.01ms   91.00%
                Req/Sec    20.81k     1.90k   23.40k    74.00%
              207123 requests in 10.00s, 17.38MB read
            Requests/sec:  20711.35
            Transfer/sec:      1.74MB
            """;

    @Test
    void readsTheRequestsPerSecond() {
        assertThat(Wrk.parseRate(RUN)).hasValue(20711.35);
    }

    @Test
    void aRunWithFailedAnswersOrSocketErrorsHasNoRate() {
        String failed = RUN.replace("Requests/sec", "  Non-2xx or 3xx responses: 5\nRequests/sec");
        String socketErrors = RUN.replace("Requests/sec", "  Socket errors: connect 0, read 3, write 0, timeout 0\nRequests/sec");

        assertThat(Wrk.parseRate(failed)).isEmpty();
        assertThat(Wrk.parseRate(socketErrors)).isEmpty();
        assertThat(Wrk.parseRate("unable to connect to 127.0.0.1:9 Connection refused")).isEmpty();
    }
}
