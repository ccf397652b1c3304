package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that POST tasks while a fault strikes, and what became of every task they were promised: the fault tests
 * of real restarts and failovers share it. A client counts a {@code 202} as a promise, waits a little after a
 * {@code 503} (which must say {@code Retry-After}) and goes on; anything else is unexpected.
 */
final class FaultLoad {

    /** What the clients were told. */
    record Outcome(Set<String> accepted, int refused, int refusedWithoutRetryAfter, int connectionErrors,
                   List<String> unexpected) {

        /** Asserts that every POST was answered, with 202, or 503 and Retry-After. */
        void assertAnsweredWith202Or503() {
            assertThat(unexpected).as("answers other than 202 and 503").isEmpty();
            assertThat(refusedWithoutRetryAfter).as("503s without Retry-After").isZero();
            assertThat(connectionErrors).as("POSTs the API did not answer").isZero();
        }
    }

    private FaultLoad() {
    }

    /**
     * {@code clients} clients make {@code attempts} POSTs in all; once {@code faultAfter} were accepted, {@code fault}
     * runs (once, on a thread of its own, while the clients go on).
     */
    static Outcome run(String base, int clients, int attempts, int faultAfter, Runnable fault) throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger left = new AtomicInteger(attempts);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger withoutRetryAfter = new AtomicInteger();
        AtomicInteger connectionErrors = new AtomicInteger();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        AtomicBoolean faulted = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        try {
            List<Future<?>> work = new ArrayList<>();
            Future<?>[] faultRun = new Future<?>[1];
            for (int c = 0; c < clients; c++) {
                work.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        if (accepted.size() >= faultAfter && faulted.compareAndSet(false, true)) {
                            faultRun[0] = pool.submit(fault);
                        }
                        HttpResponse<String> response;
                        try {
                            response = Rig.post(base + "/api/v1/health-checks", "{}");
                        } catch (UncheckedIOException e) {
                            connectionErrors.incrementAndGet();
                            continue;
                        }
                        switch (response.statusCode()) {
                            case 202 -> accepted.add(Rig.json(response).path("task_id").asText());
                            case 503 -> {
                                refused.incrementAndGet();
                                if (response.headers().firstValue("Retry-After").isEmpty()) {
                                    withoutRetryAfter.incrementAndGet();
                                }
                                Thread.sleep(100);
                            }
                            default -> unexpected.add(response.statusCode() + " " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : work) {
                client.get(5, TimeUnit.MINUTES);
            }
            assertThat(faulted).as("the fault struck during the load (after %d accepted)", faultAfter).isTrue();
            faultRun[0].get(3, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(accepted, refused.get(), withoutRetryAfter.get(), connectionErrors.get(), unexpected);
    }

    /**
     * The status each task ends in, by status (or {@code HTTP <code>} when it cannot be read), asking each with
     * {@code ?wait} so that a task still on its way gets time to end.
     */
    static Map<String, List<String>> endings(String base, Set<String> taskIds, Duration wait) {
        Map<String, List<String>> byStatus = new ConcurrentHashMap<>();
        taskIds.parallelStream().forEach(taskId -> {
            HttpResponse<String> response = Rig.get(base + "/api/v1/health-checks/" + taskId + "?wait="
                    + wait.toSeconds());
            String status = response.statusCode() == 200
                    ? Rig.json(response).path("status").asText() : "HTTP " + response.statusCode();
            byStatus.computeIfAbsent(status, s -> new CopyOnWriteArrayList<>()).add(taskId);
        });
        return new TreeMap<>(byStatus);
    }

    /** How many tasks ended in each status, with a few of their ids. */
    static String summary(Map<String, List<String>> byStatus) {
        StringBuilder summary = new StringBuilder();
        byStatus.forEach((status, ids) -> summary.append(status).append(' ').append(ids.size())
                .append(' ').append(ids.subList(0, Math.min(3, ids.size()))).append("; "));
        return summary.toString();
    }
}
