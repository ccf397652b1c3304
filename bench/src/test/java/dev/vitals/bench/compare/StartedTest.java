package dev.vitals.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartedTest {

    @Test
    void readsThePidsThatBinVitalsUpAnnounces() {
        String worker = "vitals: worker 2 started (pid 31337, /health on port 18242, log /tmp/x/worker-2.log)";
        String api = "vitals: API started (pid 31340, http://localhost:18240, log /tmp/x/api.log); Ctrl-C stops everything";

        assertThat(Started.workerPid(worker)).hasValue(31337);
        assertThat(Started.apiPid(api)).hasValue(31340);
        assertThat(Started.apiPid(worker)).isEmpty();
        assertThat(Started.workerPid("vitals: worker-1: 12:00:01 WARN pid 5 started")).isEmpty();
    }
}
