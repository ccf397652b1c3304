package dev.vitals.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * RabbitMQ nodes of a test's own on this machine, joined into one cluster: each with its own node name, AMQP port,
 * distribution port and data directory under {@code /tmp}, sharing the machine's Erlang cookie, so that a test can
 * kill and restart them without touching the machine's own broker. Started with Debian's {@code rabbitmq-server},
 * which runs a node as the user {@code rabbitmq}; needs root (as the CI machine has) or that user.
 *
 * <p>A node is killed with SIGKILL ({@link #kill}), as a crash or a lost machine would stop it, and started again
 * with {@link #start(Node)}: it rejoins the cluster with its data.
 */
public final class RabbitCluster implements AutoCloseable {

    private static final String SERVER = "rabbitmq-server";
    private static final String CTL = "rabbitmqctl";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

    /** One node: its name ({@code name@localhost}), AMQP port and directory. */
    public record Node(String name, int port, int distributionPort, Path directory) {

        private Path pidFile() {
            return directory.resolve("pid");
        }

        @Override
        public String toString() {
            return name + " (port " + port + ")";
        }
    }

    private final Path root;
    private final List<Node> nodes;

    private RabbitCluster(Path root, List<Node> nodes) {
        this.root = root;
        this.nodes = nodes;
    }

    /**
     * Starts {@code size} nodes and joins them into one cluster.
     *
     * @throws IllegalStateException when RabbitMQ's server is not installed here, or a node does not boot, saying
     *                               what to do
     */
    public static RabbitCluster start(int size) {
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            throw new IllegalStateException("These tests start RabbitMQ nodes of their own, and cannot: "
                    + problem.get() + ". On Debian: apt-get install rabbitmq-server, and run the tests as root"
                    + " (.ci/run does both).");
        }
        String prefix = "vitals-" + UUID.randomUUID().toString().substring(0, 8);
        Path root;
        try {
            root = Files.createTempDirectory(Path.of("/tmp"), prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            nodes.add(new Node(prefix + "-" + i + "@localhost", FreePorts.freePort(), FreePorts.freePort(),
                    root.resolve("node" + i)));
        }
        RabbitCluster cluster = new RabbitCluster(root, List.copyOf(nodes));
        try {
            nodes.forEach(cluster::launch);
            nodes.forEach(cluster::awaitBooted);
            for (Node node : nodes.subList(1, nodes.size())) {
                Rabbitmqctl ctl = ctl(node);
                ctl.output("stop_app");
                ctl.output("join_cluster", nodes.getFirst().name());
                ctl.output("start_app");
            }
            ctl(nodes.getFirst()).output("await_online_nodes", Integer.toString(size), "--timeout", "60");
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Why nodes cannot be started here, or empty. */
    static Optional<String> problem() {
        if (!onPath(SERVER) || !onPath(CTL)) {
            return Optional.of(SERVER + " or " + CTL + " is not on the PATH (" + System.getenv("PATH") + ")");
        }
        if (!SystemUsers.isRoot() && !"rabbitmq".equals(System.getProperty("user.name"))) {
            return Optional.of("Debian's " + SERVER + " runs a node only for root or the user rabbitmq, and this is "
                    + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":"))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, command)));
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The URI of {@code node} for {@code vhost}, as guest. */
    public URI uri(Node node, String vhost) {
        return URI.create("amqp://guest:guest@127.0.0.1:" + node.port() + "/"
                + URLEncoder.encode(vhost, StandardCharsets.UTF_8));
    }

    /** Every node's URI for {@code vhost}, comma-separated, as {@code RABBITMQ_URIS} takes them. */
    public String uris(String vhost) {
        return nodes.stream().map(node -> uri(node, vhost).toString()).collect(Collectors.joining(","));
    }

    /** Creates {@code vhost} on the cluster, with every permission for guest. */
    public void createVhost(String vhost) {
        Rabbitmqctl ctl = ctl(running());
        ctl.output("add_vhost", vhost);
        ctl.output("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    }

    /** The node that leads the quorum queue {@code queue} now. */
    public Node leaderOf(String vhost, String queue) {
        String leader = queueInfo(vhost, queue).path("leader").asText();
        return nodes.stream().filter(node -> node.name().equals(leader)).findFirst()
                .orElseThrow(() -> new IllegalStateException(queue + " is led by '" + leader + "', no node of "
                        + nodes));
    }

    /** The nodes that hold a replica of the quorum queue {@code queue}, by name. */
    public List<String> membersOf(String vhost, String queue) {
        List<String> members = new ArrayList<>();
        queueInfo(vhost, queue).path("members").forEach(member -> members.add(member.asText()));
        return members;
    }

    /** The number of messages in {@code queue}, ready and unacknowledged. */
    public long messagesIn(String vhost, String queue) {
        return queueInfo(vhost, queue).path("messages").asLong();
    }

    private JsonNode queueInfo(String vhost, String queue) {
        for (JsonNode each : ctl(running()).jsonOutput("list_queues", "-p", vhost, "--formatter", "json",
                "name", "type", "leader", "members", "messages")) {
            if (queue.equals(each.path("name").asText())) {
                return each;
            }
        }
        throw new IllegalStateException("no queue " + queue + " in vhost " + vhost);
    }

    /** Kills the node with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill(Node node) {
        pid(node).flatMap(ProcessHandle::of).ifPresent(process -> {
            process.destroyForcibly();
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(node + " did not die within 30 s of SIGKILL", e);
            }
        });
        try {
            Files.deleteIfExists(node.pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes every client connection to {@code node}, as an operator or a network fault would. */
    public void closeConnections(Node node, String explanation) {
        ctl(node).output("close_all_connections", explanation);
    }

    /** Stops the node the way an operator does ({@code rabbitmqctl stop}), and waits until it is gone. */
    public void stop(Node node) {
        ctl(node).output("stop");
        kill(node);
    }

    /** Starts a node that was stopped or killed again, and waits until it has booted and rejoined. */
    public void start(Node node) {
        launch(node);
        awaitBooted(node);
    }

    /** True while the node's process runs. */
    public boolean isRunning(Node node) {
        return pid(node).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    private Node running() {
        return nodes.stream().filter(this::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster runs"));
    }

    private static Optional<Long> pid(Node node) {
        try {
            return Files.exists(node.pidFile())
                    ? Optional.of(Long.parseLong(Files.readString(node.pidFile()).strip())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Rabbitmqctl ctl(Node node) {
        return new Rabbitmqctl(CTL, node.name());
    }

    /** Starts the node's server in the background; its output goes to {@code server.log} in its directory. */
    private void launch(Node node) {
        try {
            Files.createDirectories(node.directory());
            Files.writeString(node.directory().resolve("rabbitmq.conf"), """
                    listeners.tcp.1 = 127.0.0.1:%d
                    loopback_users = none
                    """.formatted(node.port()));
            // Read instead of the machine's rabbitmq-env.conf, which names the machine's own node.
            Files.writeString(node.directory().resolve("rabbitmq-env.conf"), """
                    ERL_EPMD_ADDRESS=127.0.0.1
                    export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"
                    """);
            Files.writeString(root.resolve("enabled_plugins"), "[].\n");
            SystemUsers.giveTo("rabbitmq", root);
            ProcessBuilder builder = new ProcessBuilder(SERVER).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.directory().resolve("server.log").toFile()));
            builder.environment().putAll(Map.of(
                    "RABBITMQ_CONF_ENV_FILE", node.directory().resolve("rabbitmq-env.conf").toString(),
                    "RABBITMQ_NODENAME", node.name(),
                    "RABBITMQ_DIST_PORT", Integer.toString(node.distributionPort()),
                    "RABBITMQ_MNESIA_BASE", node.directory().resolve("mnesia").toString(),
                    "RABBITMQ_LOG_BASE", node.directory().resolve("log").toString(),
                    "RABBITMQ_ENABLED_PLUGINS_FILE", root.resolve("enabled_plugins").toString(),
                    "RABBITMQ_CONFIG_FILE", node.directory().resolve("rabbitmq.conf").toString(),
                    "RABBITMQ_PID_FILE", node.pidFile().toString()));
            builder.start().getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + node, e);
        }
    }

    /** Waits until the node has booted (its pid file is written once it has), or fails with its log's end. */
    private void awaitBooted(Node node) {
        Instant deadline = Instant.now().plus(BOOT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (isRunning(node) && ctl(node).exitCode("await_startup", "--timeout", "30") == 0) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(node + " did not boot within " + BOOT_TIMEOUT.toSeconds() + " s; the end of "
                + node.directory().resolve("server.log") + ":\n" + tail(node.directory().resolve("server.log")));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    /** Kills every node and deletes their directories. */
    @Override
    public void close() {
        nodes.forEach(this::kill);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory left behind is no failure of the test
        }
    }
}
