package dev.vitals.api.metrics;

import dev.vitals.api.alert.Alerting;
import dev.vitals.api.alert.NotificationSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The metrics of alerts: {@code vitals_api_notifications_total{channel,kind,status}} (each attempt's outcome:
 * {@code sent}, {@code retry} or {@code failed}) and {@code vitals_api_alerts_open}.
 */
public final class AlertMetrics implements NotificationSender.SendObserver {

    private final MeterRegistry registry;

    public AlertMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts the alerts open, as the last evaluation found them. */
    public void watch(Alerting alerting) {
        Gauge.builder("vitals.api.alerts.open", alerting, Alerting::openAlerts)
                .description("Alerts open at the last evaluation").register(registry);
    }

    @Override
    public void attempted(String channel, String kind, String outcome) {
        Counter.builder("vitals.api.notifications").description("Attempts to send a notification, by outcome")
                .tags("channel", channel, "kind", kind, "status", outcome).register(registry).increment();
    }
}
