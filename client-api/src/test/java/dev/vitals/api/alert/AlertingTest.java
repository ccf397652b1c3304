package dev.vitals.api.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.ApiConfig;
import dev.vitals.api.alert.channel.Channel;
import dev.vitals.api.alert.channel.ChannelSettings;
import dev.vitals.api.alert.channel.WebhookChannel;
import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcWorkerStore;
import dev.vitals.api.support.Receiver;
import dev.vitals.api.support.MutableClock;
import dev.vitals.api.worker.WorkerRegistry;
import dev.vitals.model.event.WorkerHeartbeat;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.testing.PostgresExtension;
import java.net.URI;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alert rules and delivery on a real PostgreSQL shared by two replicas, sending to a real HTTP receiver.
 * Time is a test clock: reminders, silences and retries are moved through without waiting for them.
 */
class AlertingTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final String SECRET = "shared-secret";
    private static final Duration REPEAT = Duration.ofMinutes(15);
    private static Database database;

    private final ObjectMapper mapper = VitalsJson.newMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final ExecutorService sending = Executors.newVirtualThreadPerTaskExecutor();
    private Receiver receiver;
    private Replica one;
    private Replica two;
    private WorkerRegistry workers;

    /** What one API replica runs of alerting. */
    private record Replica(Alerting alerting, NotificationSender sender) {
    }

    @BeforeAll
    static void openDatabase() {
        database = Database.open(postgres.jdbcUrl(), 4, Duration.ofSeconds(5));
    }

    @AfterAll
    static void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        try (var connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM alerts");
            statement.execute("DELETE FROM silences");
            statement.execute("DELETE FROM workers");
        }
        receiver = new Receiver();
        workers = new WorkerRegistry(new JdbcWorkerStore(database.dataSource()), clock,
                new ApiConfig.Workers(3, Duration.ofSeconds(5), Duration.ofHours(1)));
        one = replica(settings(receiver.uri("/hook")));
        two = replica(settings(receiver.uri("/hook")));
    }

    @AfterEach
    void stop() {
        receiver.close();
        sending.shutdownNow();
    }

    @Test
    void threeFailuresOpenOneAlertAndTheReceiverGetsOneSignedOpenedNotification() throws Exception {
        change("healthy", "degraded");
        change("degraded", "degraded");
        change("degraded", "unhealthy");
        tickAndSend(one);
        tickAndSend(two);

        Receiver.Request opened = receiver.next(5);
        assertThat(opened.header(WebhookChannel.SIGNATURE_HEADER))
                .isEqualTo(WebhookChannel.signature(SECRET, opened.body()));
        JsonNode body = mapper.readTree(opened.body());
        assertThat(body.get("kind").asText()).isEqualTo("opened");
        assertThat(body.at("/alert/worker_id").asText()).isEqualTo("host-a-1");
        assertThat(body.at("/alert/check").asText()).isEqualTo("disk");
        assertThat(body.at("/alert/reason").asText()).contains("disk 97.1");
        assertThat(body.at("/alert/links/task").asText()).startsWith("http://vitals.example:8080/api/v1/health-checks/");

        // Another failed run changes nothing: no second alert, no second notification.
        change("unhealthy", "unhealthy");
        tickAndSend(one);
        assertThat(receiver.next(1)).isNull();
        assertThat(openAlerts()).hasSize(1);
    }

    @Test
    void anOpenAlertIsRemindedEveryRepeatIntervalAndResolvedOnceWithItsDuration() throws Exception {
        change("degraded", "unhealthy");
        tickAndSend(one);
        assertThat(kind(receiver.next(5))).isEqualTo("opened");

        clock.advance(REPEAT.minusSeconds(1));
        tickAndSend(one);
        assertThat(receiver.next(1)).isNull();
        clock.advance(Duration.ofSeconds(1));
        tickAndSend(two);
        assertThat(kind(receiver.next(5))).isEqualTo("reminder");
        tickAndSend(one);
        assertThat(receiver.next(1)).isNull();

        clock.advance(Duration.ofMinutes(5));
        change("unhealthy", "healthy");
        tickAndSend(one);
        JsonNode resolved = mapper.readTree(receiver.next(5).body());
        assertThat(resolved.get("kind").asText()).isEqualTo("resolved");
        assertThat(resolved.at("/alert/duration_seconds").asLong()).isEqualTo(REPEAT.plusMinutes(5).toSeconds());
        assertThat(resolved.get("text").asText()).contains("after 20m");
        assertThat(openAlerts()).isEmpty();
        assertThat(one.alerting().openAlerts()).isZero();
    }

    @Test
    void aSilencedAlertSendsNothingAndIsNotifiedWhenItsSilenceEndsIfStillOpen() {
        Instant now = clock.instant();
        store().insertSilence(new Silence(UUID.randomUUID(), "host-a-1", null, now, now.plus(Duration.ofHours(1)),
                "disk replacement", now));

        change("degraded", "unhealthy");
        tickAndSend(one);
        clock.advance(Duration.ofMinutes(30));
        tickAndSend(one);
        assertThat(receiver.next(1)).isNull();
        assertThat(openAlerts()).hasSize(1);

        clock.advance(Duration.ofMinutes(30));
        tickAndSend(two);
        assertThat(kind(receiver.next(5))).isEqualTo("opened");
        assertThat(receiver.next(1)).isNull();
    }

    @Test
    void anAlertOpenedAndResolvedUnderASilenceSendsNothingAtAll() {
        Instant now = clock.instant();
        store().insertSilence(new Silence(UUID.randomUUID(), null, "disk", now, now.plus(Duration.ofHours(1)),
                "maintenance", now));

        change("degraded", "unhealthy");
        tickAndSend(one);
        change("unhealthy", "healthy");
        clock.advance(Duration.ofHours(2));
        tickAndSend(one);

        assertThat(receiver.requests()).isEmpty();
        assertThat(store().list(false, "host-a-1", 10)).hasSize(1);
    }

    @Test
    void aReceiverThatRefusesConnectionsGetsTheNotificationOnceWhenItIsBack() {
        int port = receiver.port();
        receiver.close();
        change("degraded", "unhealthy");
        for (int second = 0; second < 20; second++) { // 20 s of refused connections
            tickAndSend(one);
            tickAndSend(two);
            clock.advance(Duration.ofSeconds(1));
        }
        StoredAlert.Sent pending = store().list(true, null, 1).getFirst().notifications().getFirst();
        assertThat(pending.status()).isEqualTo("pending");
        assertThat(pending.attempts()).isBetween(4, 6); // 1 s, 2 s, 4 s, 8 s … apart
        assertThat(pending.error()).contains("could not be reached");

        receiver = new Receiver(port);
        for (int second = 0; second < 20; second++) {
            clock.advance(Duration.ofSeconds(1));
            tickAndSend(one);
            tickAndSend(two);
        }
        assertThat(receiver.requests()).hasSize(1);
        assertThat(store().list(true, null, 1).getFirst().notifications().getFirst().status()).isEqualTo("sent");
    }

    @Test
    void aRefusedNotificationIsNotRetriedAndOneNeverDeliveredIsGivenUp() {
        receiver.answer(400, "no such hook");
        change("degraded", "unhealthy");
        tickAndSend(one);

        assertThat(receiver.requests()).hasSize(1);
        StoredAlert.Sent refused = store().list(true, null, 1).getFirst().notifications().getFirst();
        assertThat(refused.status()).isEqualTo("failed");
        assertThat(refused.error()).contains("400", "no such hook");

        receiver.answer(503, "busy");
        clock.advance(REPEAT);
        for (int minute = 0; minute < 40; minute++) { // the give-up time of these tests is 30 minutes
            tickAndSend(one);
            clock.advance(Duration.ofMinutes(1));
        }
        List<StoredAlert.Sent> sent = store().list(true, null, 1).getFirst().notifications();
        assertThat(sent).extracting(StoredAlert.Sent::kind).startsWith("opened", "reminder");
        assertThat(sent.get(1).status()).isEqualTo("failed");
        assertThat(sent.get(1).attempts()).isGreaterThan(3);
    }

    @Test
    void twoReplicasEvaluatingAndSendingAtOnceSendEachNotificationOnce() {
        change("degraded", "unhealthy");
        for (int round = 0; round < 5; round++) {
            CompletableFuture.allOf(CompletableFuture.runAsync(() -> tickAndSend(one), sending),
                    CompletableFuture.runAsync(() -> tickAndSend(two), sending)).join();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.requests().size() >= 1);
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void aWorkerWhoseHeartbeatsStopIsAlertedOnceAndResolvedWhenItIsBack() {
        heartbeat("host-b-1", WorkerHeartbeat.WorkerState.HEALTHY);
        heartbeat("host-c-1", WorkerHeartbeat.WorkerState.HEALTHY);
        tickAndSend(one); // starts this replica's grace: it has just begun to consume heartbeats
        clock.advance(Duration.ofMinutes(2));
        heartbeat("host-c-1", WorkerHeartbeat.WorkerState.STOPPED); // said goodbye: no alert

        tickAndSend(one);
        tickAndSend(two);
        clock.advance(Duration.ofMinutes(1));
        tickAndSend(two);

        JsonNode opened = json(receiver.next(5));
        assertThat(opened.get("kind").asText()).isEqualTo("opened");
        assertThat(opened.at("/alert/worker_id").asText()).isEqualTo("host-b-1");
        assertThat(opened.at("/alert/reason").asText()).contains("no heartbeat since");
        assertThat(receiver.next(1)).isNull();

        heartbeat("host-b-1", WorkerHeartbeat.WorkerState.HEALTHY);
        tickAndSend(one);
        JsonNode resolved = json(receiver.next(5));
        assertThat(resolved.get("kind").asText()).isEqualTo("resolved");
        assertThat(resolved.at("/alert/reason").asText()).isEqualTo("heartbeats again");
    }

    @Test
    void aReplicaThatHasJustStartedDoesNotTakeSilentWorkersForGone() {
        heartbeat("host-b-1", WorkerHeartbeat.WorkerState.HEALTHY);
        clock.advance(Duration.ofHours(2).minusMinutes(1)); // the API was down; the worker is still listed

        tickAndSend(one);
        clock.advance(Duration.ofSeconds(30));
        tickAndSend(one);

        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void flappingIsNotifiedWhenItStartsAndWhenItEnds() throws Exception {
        store().inTransaction("flap", tx -> {
            one.alerting().flappingChanged(tx, "host-a-1", "host-a", true, clock.instant(),
                    "7 state changes in the last 20 runs");
            return null;
        });
        tickAndSend(one);
        clock.advance(Duration.ofMinutes(10));
        store().inTransaction("flap", tx -> {
            one.alerting().flappingChanged(tx, "host-a-1", "host-a", false, clock.instant(),
                    "4 state changes in the last 20 runs");
            return null;
        });
        tickAndSend(one);

        JsonNode started = json(receiver.next(5));
        JsonNode ended = json(receiver.next(5));
        assertThat(started.get("kind").asText()).isEqualTo("flapping");
        assertThat(started.at("/alert/status").asText()).isEqualTo("open");
        assertThat(ended.get("kind").asText()).isEqualTo("flapping");
        assertThat(ended.at("/alert/status").asText()).isEqualTo("resolved");
        assertThat(ended.get("text").asText()).contains("stopped flapping");
    }

    @Test
    void retentionDeletesResolvedAlertsAndEndedSilencesButNeverAnOpenAlert() {
        Instant now = clock.instant();
        store().insertSilence(new Silence(UUID.randomUUID(), null, null, now, now.plusSeconds(60), "short", now));
        change("degraded", "unhealthy");
        change("unhealthy", "healthy");
        heartbeat("host-b-1", WorkerHeartbeat.WorkerState.HEALTHY);
        store().inTransaction("flap", tx -> {
            one.alerting().flappingChanged(tx, "host-b-1", "host-b", true, clock.instant(), "flapping");
            return null;
        });

        clock.advance(Duration.ofDays(2));
        int deleted = store().deleteEndedBefore(clock.instant().minus(Duration.ofDays(1)));

        assertThat(deleted).isEqualTo(1);
        assertThat(store().list(null, null, 10)).extracting(StoredAlert::cause)
                .containsExactly(StoredAlert.Cause.FLAPPING);
        assertThat(store().silences(now)).isEmpty();
    }

    private AlertSettings settings(URI hook) {
        return new AlertSettings(REPEAT, Duration.ofMinutes(30), Duration.ofSeconds(2), 4, Duration.ofDays(1),
                URI.create("http://vitals.example:8080"),
                List.of(new ChannelSettings.Webhook("ops", hook, SECRET)));
    }

    private Replica replica(AlertSettings settings) {
        List<Channel> channels = settings.channels().stream().map(c -> c.create(mapper, settings.sendTimeout())).toList();
        Alerting alerting = new Alerting(store(), settings, channels.stream().map(Channel::name).toList(), workers,
                Duration.ofMinutes(1), () -> true, Alerting.RecentRuns.NONE, clock);
        // Sends run on the calling thread here, so that a test sees their outcome when sendDue returns.
        return new Replica(alerting, new NotificationSender(store(), channels, settings, Runnable::run, clock,
                NotificationSender.SendObserver.NONE));
    }

    private AlertStore store() {
        return new AlertStore(database.dataSource(), mapper);
    }

    /** A change of host-a-1's state by a run whose disk check failed. */
    private void change(String from, String to) {
        boolean failed = !to.equals("healthy");
        Alerting.StateChange change = new Alerting.StateChange("host-a-1", "host-a", from, to, clock.instant(),
                UUID.randomUUID(), failed ? "disk 97.1 % used, error at 95" : "2 healthy runs",
                failed ? List.of(new Notification.CheckDetail("disk", "error", 97.1, 90.0, 95.0)) : List.of(),
                new ArrayList<>(List.of("error", "error", failed ? "error" : "healthy")));
        store().inTransaction("record a state change", tx -> {
            one.alerting().stateChanged(tx, change);
            return null;
        });
    }

    private void heartbeat(String workerId, WorkerHeartbeat.WorkerState state) {
        workers.seen(new WorkerHeartbeat(workerId, workerId.replace("-1", ""), "1.0", clock.instant().minusSeconds(60),
                clock.instant(), state, null, 5.0));
    }

    private static void tickAndSend(Replica replica) {
        replica.alerting().tick();
        replica.sender().sendDue();
    }

    private List<StoredAlert> openAlerts() {
        return store().list(true, null, 100);
    }

    private String kind(Receiver.Request request) {
        assertThat(request).as("a notification").isNotNull();
        return json(request).get("kind").asText();
    }

    private JsonNode json(Receiver.Request request) {
        assertThat(request).as("a notification").isNotNull();
        try {
            return mapper.readTree(request.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
