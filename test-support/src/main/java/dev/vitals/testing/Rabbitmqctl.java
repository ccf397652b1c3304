package dev.vitals.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * RabbitMQ's own command line tool, for a broker on this machine whose management API is off. It talks
 * to the node {@code RABBITMQ_NODENAME} names, by default the local one. Its queue counts are current.
 */
final class Rabbitmqctl implements BrokerAdmin {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String command;
    private final List<String> nodeArguments;

    Rabbitmqctl(String command) {
        this.command = command;
        this.nodeArguments = List.of();
    }

    /** The tool for the node {@code node} ({@code name@host}), with {@code -n}. */
    Rabbitmqctl(String command, String node) {
        this.command = command;
        this.nodeArguments = List.of("-n", node);
    }

    /** Why this tool cannot be used, or empty when it reaches the broker. */
    Optional<String> problem() {
        try {
            Result result = run("list_vhosts");
            return result.exitCode() == 0
                    ? Optional.empty()
                    : Optional.of("'" + command + " list_vhosts' exited with " + result.exitCode() + ": "
                            + result.said());
        } catch (UncheckedIOException e) {
            return Optional.of("it cannot be run: " + e.getCause().getMessage());
        }
    }

    @Override
    public void createVhost(String vhost, String user) {
        succeed("add_vhost", vhost);
        succeed("set_permissions", "-p", vhost, user, ".*", ".*", ".*");
    }

    @Override
    public void deleteVhost(String vhost) {
        Result result = run("delete_vhost", vhost);
        if (result.exitCode() != 0 && vhostExists(vhost)) {
            throw failure(result, "delete_vhost", vhost);
        }
    }

    @Override
    public boolean vhostExists(String vhost) {
        for (JsonNode each : json(succeed("list_vhosts", "--formatter", "json", "name"))) {
            if (vhost.equals(each.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<QueueInfo> queues(String vhost) {
        List<QueueInfo> queues = new ArrayList<>();
        for (JsonNode each : json(succeed("list_queues", "-p", vhost, "--formatter", "json",
                "name", "messages_ready", "messages_unacknowledged", "consumers"))) {
            queues.add(QueueInfo.fromJson(each).orElseThrow(() -> new IllegalStateException(
                    "rabbitmqctl list_queues reported a queue without its counts: " + each)));
        }
        return queues;
    }

    @Override
    public Optional<QueueInfo> queue(String vhost, String name) {
        return queues(vhost).stream().filter(queue -> queue.name().equals(name)).findFirst();
    }

    @Override
    public List<ClientConnection> connections(String vhost) {
        List<ClientConnection> connections = new ArrayList<>();
        for (JsonNode each : json(succeed("list_connections", "--formatter", "json", "name", "vhost",
                "client_properties"))) {
            if (vhost.equals(each.path("vhost").asText())) {
                String name = each.path("name").asText();
                connections.add(new ClientConnection(name, clientName(each.path("client_properties"), name)));
            }
        }
        return connections;
    }

    /** {@code client_properties} comes as a list of [key, type, value] triples. */
    private static String clientName(JsonNode properties, String fallback) {
        for (JsonNode property : properties) {
            if (property.isArray() && "connection_name".equals(property.path(0).asText())) {
                return property.path(2).asText(fallback);
            }
        }
        return fallback;
    }

    /**
     * Closes the connection by its Erlang process id, which is what {@code close_connection} takes (its name is
     * not): looked up in the plain listing, whose ids the command accepts back, unlike the JSON listing's. A
     * connection already gone is left alone.
     */
    @Override
    public void closeConnection(String name) {
        Optional<String> pid = connectionPid(succeed("list_connections", "pid", "name").output(), name);
        if (pid.isPresent()) {
            succeed("close_connection", pid.get(), "closed by a test");
        }
    }

    /** The process id of the connection {@code name} in a {@code list_connections pid name} listing. */
    static Optional<String> connectionPid(String listing, String name) {
        return listing.lines()
                .map(line -> line.split("\t", 2))
                .filter(columns -> columns.length == 2 && columns[0].startsWith("<") && columns[1].strip().equals(name))
                .map(columns -> columns[0])
                .findFirst();
    }

    @Override
    public void clearPermissions(String vhost, String user) {
        succeed("clear_permissions", "-p", vhost, user);
    }

    @Override
    public void grantPermissions(String vhost, String user) {
        succeed("set_permissions", "-p", vhost, user, ".*", ".*", ".*");
    }

    @Override
    public String description() {
        return command;
    }

    /** Runs the command, failing with what it said unless it exits with 0; returns what it printed. */
    String output(String... arguments) {
        return succeed(arguments).output();
    }

    /** Runs the command and returns its exit code. */
    int exitCode(String... arguments) {
        return run(arguments).exitCode();
    }

    /** Runs the command, failing with what it said unless it exits with 0; returns what it printed, as JSON. */
    JsonNode jsonOutput(String... arguments) {
        return json(succeed(arguments));
    }

    private Result succeed(String... arguments) {
        Result result = run(arguments);
        if (result.exitCode() != 0) {
            throw failure(result, arguments);
        }
        return result;
    }

    private IllegalStateException failure(Result result, String... arguments) {
        return new IllegalStateException("'" + command + " " + String.join(" ", arguments) + "' exited with "
                + result.exitCode() + ": " + result.said());
    }

    private Result run(String... arguments) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command);
        commandLine.addAll(nodeArguments);
        commandLine.add("-q");
        commandLine.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(commandLine).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> output = readAll(process.getInputStream());
            CompletableFuture<String> errors = readAll(process.getErrorStream());
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("'" + String.join(" ", commandLine) + "' did not finish within "
                        + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            return new Result(process.exitValue(), output.join(), errors.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", commandLine), e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private JsonNode json(Result result) {
        try {
            return JSON.readTree(result.output());
        } catch (IOException e) {
            throw new IllegalStateException(command + " printed something that is not JSON: " + result.output(), e);
        }
    }

    private record Result(int exitCode, String output, String errors) {

        /** What the command said, for messages. */
        String said() {
            return (errors + "\n" + output).strip();
        }
    }
}
