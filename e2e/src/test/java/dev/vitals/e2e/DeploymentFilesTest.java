package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The deployment files parse, and every probe in them points at a path the contract defines. */
class DeploymentFilesTest {

    /** The probe paths of the contract (API and worker alike, plus the worker's /health). */
    private static final Set<String> PROBE_PATHS =
            Set.of("/health/ping", "/health/live", "/health/ready", "/health/startup", "/health");

    private static final Path DEPLOY = Launcher.ROOT.resolve("deploy");
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private List<JsonNode> kubernetesDocuments() throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
                    documents.addAll(it.readAll());
                }
            }
        }
        return documents;
    }

    private static List<JsonNode> containers(JsonNode document) {
        JsonNode spec = document.path("kind").asText().equals("Pod") ? document.path("spec")
                : document.path("spec").path("template").path("spec");
        List<JsonNode> containers = new ArrayList<>();
        spec.path("containers").forEach(containers::add);
        return containers;
    }

    @Test
    void everyKubernetesDocumentHasAKindAndAName() throws IOException {
        List<JsonNode> documents = kubernetesDocuments();

        assertThat(documents).extracting(d -> d.path("kind").asText())
                .contains("Deployment", "Service", "ConfigMap", "Pod");
        assertThat(documents).allSatisfy(d -> assertThat(d.path("metadata").path("name").asText()).isNotEmpty());
    }

    @Test
    void deploymentsProbeLivenessReadinessAndStartupAtContractPaths() throws IOException {
        for (JsonNode document : kubernetesDocuments()) {
            if (!document.path("kind").asText().equals("Deployment")) {
                continue;
            }
            for (JsonNode container : containers(document)) {
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    String path = container.path(probe).path("httpGet").path("path").asText();
                    assertThat(path).as("%s of %s", probe, document.path("metadata").path("name").asText())
                            .isIn(PROBE_PATHS);
                }
                assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
                assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
                assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
                assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
            }
        }
    }

    @Test
    void probePortsNameAPortTheContainerOpens() throws IOException {
        for (JsonNode document : kubernetesDocuments()) {
            for (JsonNode container : containers(document)) {
                List<String> ports = container.path("ports").findValuesAsText("name");
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    JsonNode port = container.path(probe).path("httpGet").path("port");
                    if (!port.isMissingNode()) {
                        assertThat(ports).contains(port.asText());
                    }
                }
            }
        }
    }

    @Test
    void theExecProbeExampleRunsWorkerOnce() throws IOException {
        List<String> commands = new ArrayList<>();
        for (JsonNode document : kubernetesDocuments()) {
            for (JsonNode container : containers(document)) {
                container.path("readinessProbe").path("exec").path("command").forEach(c -> commands.add(c.asText()));
            }
        }
        assertThat(String.join(" ", commands)).contains("bin/vitals worker --once");
    }

    @Test
    void composeHealthChecksUseContractProbePaths() throws IOException {
        JsonNode compose = yaml.readTree(Launcher.ROOT.resolve("docker-compose.yml").toFile());

        for (String service : List.of("api", "worker")) {
            String test = String.join(" ", toList(compose.path("services").path(service).path("healthcheck").path("test")));
            assertThat(PROBE_PATHS.stream().anyMatch(path -> test.contains("GET " + path + " ")))
                    .as("health check of %s: %s", service, test).isTrue();
        }
    }

    @Test
    void composeApiAndWorkersExportTracesToJaeger() throws IOException {
        JsonNode services = yaml.readTree(Launcher.ROOT.resolve("docker-compose.yml").toFile()).path("services");

        assertThat(services.path("jaeger").path("image").asText()).startsWith("jaegertracing/");
        assertThat(toList(services.path("jaeger").path("ports"))).contains("16686:16686");
        for (String service : List.of("api", "worker")) {
            JsonNode environment = services.path(service).path("environment");
            assertThat(environment.path("OTEL_TRACES_EXPORTER").asText()).as(service).isEqualTo("otlp");
            assertThat(environment.path("OTEL_EXPORTER_OTLP_ENDPOINT").asText()).as(service)
                    .isEqualTo("http://jaeger:4318");
        }
    }

    @Test
    void systemdUnitsRunTheLauncherAndRestart() throws IOException {
        for (String unit : List.of("vitals-api.service", "vitals-worker.service")) {
            String text = Files.readString(DEPLOY.resolve("systemd").resolve(unit));

            assertThat(text).contains("EnvironmentFile=/etc/vitals/vitals.env", "KillSignal=SIGTERM", "Restart=")
                    .containsPattern("ExecStart=/opt/vitals/bin/vitals (api|worker)\\n");
        }
    }

    @Test
    void composeRunsPrometheusWithAConfigThatScrapesApiAndWorkersAndPassesPromtool() throws Exception {
        JsonNode compose = yaml.readTree(Launcher.ROOT.resolve("docker-compose.yml").toFile());
        Path config = DEPLOY.resolve("prometheus.yml");

        assertThat(compose.path("services").path("prometheus").path("volumes").get(0).asText())
                .startsWith("./deploy/prometheus.yml:");
        JsonNode jobs = yaml.readTree(config.toFile()).path("scrape_configs");
        assertThat(jobs.findValuesAsText("job_name")).containsExactlyInAnyOrder("vitals-api", "vitals-worker");
        dev.vitals.testing.Promtool.checkConfig(config);
    }

    @Test
    void theClusterComposeFileListsEveryNodeAndUsesQuorumQueues() throws IOException {
        JsonNode services = yaml.readTree(DEPLOY.resolve("cluster/docker-compose.yml").toFile()).path("services");

        for (String service : List.of("api1", "api2", "worker")) {
            JsonNode environment = services.path(service).path("environment");
            assertThat(environment.path("RABBITMQ_URIS").asText().split(",")).as(service)
                    .containsExactly("amqp://guest:guest@rabbit1:5672/%2f", "amqp://guest:guest@rabbit2:5672/%2f",
                            "amqp://guest:guest@rabbit3:5672/%2f");
            assertThat(environment.path("JAVA_OPTS").asText()).as(service)
                    .contains(service.equals("worker") ? "-Dvitals.worker.own-queue-type=quorum"
                            : "-Dvitals.api.events-queue-type=quorum");
        }
        for (String node : List.of("rabbit1", "rabbit2", "rabbit3")) {
            assertThat(services.path(node).path("environment").path("RABBITMQ_ERLANG_COOKIE").asText()).as(node)
                    .isEqualTo("vitals-cluster-cookie");
        }
    }

    private static List<String> toList(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return items;
    }
}
