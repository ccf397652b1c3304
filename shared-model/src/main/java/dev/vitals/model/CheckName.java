package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The metrics a worker measures and grades; each is one entry of a report's {@code checks}. */
public enum CheckName {
    CPU(true, CpuUsage.class),
    MEMORY(true, MemoryUsage.class),
    DISK(true, DiskUsage.class),
    LOAD(false, LoadAverage.class),
    THREADS(false, ThreadCount.class);

    private final boolean percent;
    private final Class<? extends Measurement> measurementType;

    CheckName(boolean percent, Class<? extends Measurement> measurementType) {
        this.percent = percent;
        this.measurementType = measurementType;
    }

    /** The name used in JSON, configuration and on the command line: {@code cpu}, {@code disk}, … */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the graded value is a percentage, so thresholds above 100 make no sense. */
    public boolean gradesPercent() {
        return percent;
    }

    /** The record this check's measurement is read into. */
    public Class<? extends Measurement> measurementType() {
        return measurementType;
    }

    /** The check whose measurement record {@code measurement} is. */
    public static CheckName of(Measurement measurement) {
        for (CheckName name : values()) {
            if (name.measurementType().isInstance(measurement)) {
                return name;
            }
        }
        throw new IllegalArgumentException("no check measures " + measurement.getClass().getName());
    }

    public static Optional<CheckName> find(String id) {
        for (CheckName name : values()) {
            if (name.id().equals(id)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** Parses a check name, refusing unknown ones with a message that lists the known names. */
    @JsonCreator
    public static CheckName of(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown check '" + id + "'; known checks are " + knownNames()));
    }

    public static String knownNames() {
        return Arrays.stream(values()).map(CheckName::id).collect(Collectors.joining(", "));
    }
}
