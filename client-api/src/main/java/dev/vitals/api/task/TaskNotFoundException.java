package dev.vitals.api.task;

import java.util.UUID;

/** No task has this id: it never existed, or retention deleted it. The HTTP layer answers {@code 404}. */
public class TaskNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskNotFoundException(UUID taskId) {
        super("no task " + taskId);
    }
}
