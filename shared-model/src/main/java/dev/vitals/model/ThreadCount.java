package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Threads and processes.
 *
 * @param count         threads on the whole machine
 * @param processes     processes on the whole machine
 * @param workerThreads live threads of the worker process itself
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ThreadCount(long count, long processes, int workerThreads) implements Measurement {

    @Override
    public double gradedValue() {
        return count;
    }
}
