package dev.vitals.model.event;

/** The events workers publish on the topic exchange {@code vitals.events}, by routing key. */
public enum EventType {
    /** A worker took a task; body {@link TaskStarted}. */
    TASK_STARTED("task.started"),
    /** A worker finished a task; body the {@link dev.vitals.model.HealthReport}. */
    TASK_COMPLETED("task.completed"),
    /** A task could not be carried out; body {@link TaskFailed}. */
    TASK_FAILED("task.failed"),
    /** A worker is alive (or, with status {@code stopped}, is leaving); body {@link WorkerHeartbeat}. */
    WORKER_HEARTBEAT("worker.heartbeat");

    private final String routingKey;

    EventType(String routingKey) {
        this.routingKey = routingKey;
    }

    public String routingKey() {
        return routingKey;
    }

    public static java.util.Optional<EventType> ofRoutingKey(String routingKey) {
        for (EventType type : values()) {
            if (type.routingKey.equals(routingKey)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }
}
