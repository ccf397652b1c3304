package dev.vitals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Drives the API as {@link LoadOptions} says: each client is one kept-alive connection that sends its next
 * request as soon as the last one is answered. Every connection is served by one Netty event loop thread:
 * on the same machine as the API the tool's own CPU is taken from what it measures, and an event loop
 * costs a fraction of a thread per client blocking on its socket (no context switch per request). The
 * latency histogram and error counts are touched only by that thread.
 */
public final class LoadRun implements AutoCloseable {

    /** Tasks made before a {@code get} run, to read by id. */
    static final int GET_TASKS = 200;
    /** How long one request may go unanswered (the longest {@code ?wait} is 30 s). */
    static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(1);
    private static final long HIGHEST_MICROS = Duration.ofMinutes(1).toNanos() / 1000;
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    private static final ByteBuf COMPLETED = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
            "\"status\":\"completed\"".getBytes(StandardCharsets.US_ASCII)));

    private final LoadOptions options;
    private final String host;
    private final int port;
    private final String hostHeader;
    private final String basePath;
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
            Thread.ofPlatform().name("vitals-bench-io").daemon().factory(), NioIoHandler.newFactory());
    private final ObjectMapper json = new ObjectMapper();

    public LoadRun(LoadOptions options) {
        this.options = options;
        URI api = options.api();
        this.host = api.getHost();
        this.port = api.getPort() > 0 ? api.getPort() : 80;
        this.hostHeader = api.getPort() > 0 ? host + ":" + port : host;
        this.basePath = api.getRawPath() == null ? "" : api.getRawPath();
        if (!"http".equals(api.getScheme())) {
            throw new IllegalArgumentException("the load tool speaks plain http, got " + api);
        }
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Warms up for the options' warm-up, if any (nothing recorded), then measures. */
    public LoadResult run() throws Exception {
        List<String> taskIds = options.mode() == LoadOptions.Mode.GET ? makeTasks() : List.of();
        if (!options.warmup().isZero()) {
            new Phase(taskIds, options.warmup(), Integer.MAX_VALUE).run();
        }
        return new Phase(taskIds, options.duration(), options.count()).run();
    }

    /** One bounded run of every client; its figures are those of the requests it sent. */
    private final class Phase {

        private final List<String> taskIds;
        private final Duration duration;
        private final AtomicInteger remaining;
        private final boolean counted;
        private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        private final Map<String, Long> errorsByKind = new TreeMap<>();
        private long errors;
        private long deadline;

        Phase(List<String> taskIds, Duration duration, int count) {
            this.taskIds = taskIds;
            this.duration = duration;
            this.remaining = new AtomicInteger(count);
            this.counted = options.mode() == LoadOptions.Mode.E2E;
        }

        LoadResult run() throws InterruptedException, java.util.concurrent.ExecutionException {
            CountDownLatch finished = new CountDownLatch(options.clients());
            long cpuAtStart = processCpuNanos();
            long start = System.nanoTime();
            deadline = start + duration.toNanos();
            Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(
                                    new ReadTimeoutHandler(RESPONSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                                    new HttpClientCodec(),
                                    new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                                    new Client(finished));
                        }
                    });
            for (int c = 0; c < options.clients(); c++) {
                bootstrap.connect(host, port).addListener(connected -> {
                    if (!connected.isSuccess()) {
                        loop.execute(() -> {
                            error(kind(connected.cause()));
                            finished.countDown();
                        });
                    }
                });
            }
            // Every client stops sending at the deadline; the last answers may take up to the response timeout.
            if (!finished.await(duration.plus(RESPONSE_TIMEOUT).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("clients did not finish within the response timeout");
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Duration toolCpu = Duration.ofNanos(Math.max(0, processCpuNanos() - cpuAtStart));
            // Read on the event loop, which alone writes them.
            return loop.submit(() -> new LoadResult(options.mode(), options.clients(), elapsed, latency.copy(), errors,
                    new TreeMap<>(errorsByKind), toolCpu)).get();
        }

        private boolean wantsMore() {
            return System.nanoTime() < deadline && (!counted || remaining.getAndDecrement() > 0);
        }

        private void error(String kind) {
            errors++;
            errorsByKind.merge(kind, 1L, Long::sum);
        }

        /** One client: a connection sending a request, waiting for its answer, and sending the next. */
        private final class Client extends SimpleChannelInboundHandler<FullHttpResponse> {

            private final CountDownLatch finished;
            private boolean done;
            private long sentAt;
            /** The task's path while a polled check is waited for, else null. */
            private String pollPath;

            Client(CountDownLatch finished) {
                this.finished = finished;
            }

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                next(ctx);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                int status = response.status().code();
                if (options.polls() && options.mode() != LoadOptions.Mode.GET) {
                    polled(ctx, status, response.content());
                    return;
                }
                long micros = (System.nanoTime() - sentAt) / 1000;
                if (status != 200) {
                    error("HTTP " + status);
                } else if (options.mode() != LoadOptions.Mode.GET && !contains(response.content(), COMPLETED)) {
                    error("not completed");
                } else {
                    latency.recordValue(Math.min(micros, HIGHEST_MICROS));
                }
                next(ctx);
            }

            /** An answer to the POST or to a GET of a polled check: record it if terminal, else poll again. */
            private void polled(ChannelHandlerContext ctx, int status, ByteBuf content) {
                boolean post = pollPath == null;
                if (status != (post ? 202 : 200) && status != 200) {
                    error("HTTP " + status);
                    next(ctx);
                    return;
                }
                JsonNode task;
                try {
                    task = json.readTree(new ByteBufInputStream(content));
                } catch (IOException e) {
                    error("not JSON");
                    next(ctx);
                    return;
                }
                if (post) {
                    String id = task.path("task_id").asText("");
                    if (id.isEmpty()) {
                        error("no task_id");
                        next(ctx);
                        return;
                    }
                    pollPath = basePath + "/api/v1/health-checks/" + id;
                }
                switch (PolledStatus.of(task.path("status").asText(""))) {
                    case COMPLETED -> {
                        latency.recordValue(Math.min((System.nanoTime() - sentAt) / 1000, HIGHEST_MICROS));
                        next(ctx);
                    }
                    case FAILED -> {
                        error("task " + task.path("status").asText());
                        next(ctx);
                    }
                    case PENDING -> {
                        if (System.nanoTime() - sentAt > RESPONSE_TIMEOUT.toNanos()) {
                            error("not terminal after " + RESPONSE_TIMEOUT.toSeconds() + " s");
                            next(ctx);
                        } else {
                            String path = pollPath;
                            ctx.executor().schedule(() -> send(ctx, headers(new DefaultFullHttpRequest(
                                    HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER))),
                                    options.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
                        }
                    }
                }
            }

            private void next(ChannelHandlerContext ctx) {
                if (!wantsMore()) {
                    finish();
                    ctx.close();
                    return;
                }
                sentAt = System.nanoTime();
                pollPath = null;
                send(ctx, request());
            }

            private void send(ChannelHandlerContext ctx, FullHttpRequest request) {
                if (done) {
                    return;
                }
                ctx.writeAndFlush(request).addListener(written -> {
                    if (!written.isSuccess()) {
                        exceptionCaught(ctx, written.cause());
                    }
                });
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!done) {
                    error(kind(cause));
                }
                finish();
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!done) {
                    error("connection closed");
                }
                finish();
            }

            private void finish() {
                if (!done) {
                    done = true;
                    finished.countDown();
                }
            }
        }

        private FullHttpRequest request() {
            return switch (options.mode()) {
                case E2E -> post(options.polls() ? 0 : 10);
                case THROUGHPUT -> post(options.polls() ? 0 : 30);
                case GET -> headers(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                        basePath + "/api/v1/health-checks/" + taskIds.get(ThreadLocalRandom.current().nextInt(
                                taskIds.size())), Unpooled.EMPTY_BUFFER));
            };
        }
    }

    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    private FullHttpRequest post(int waitSeconds) {
        FullHttpRequest post = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                basePath + "/api/v1/health-checks" + (waitSeconds > 0 ? "?wait=" + waitSeconds : ""),
                Unpooled.wrappedBuffer(EMPTY_OBJECT));
        post.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, EMPTY_OBJECT.length);
        return headers(post);
    }

    private FullHttpRequest headers(FullHttpRequest request) {
        request.headers().set(HttpHeaderNames.HOST, hostHeader);
        if (options.token() != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + options.token());
        }
        return request;
    }

    /** What a polled task's {@code status} says about the check. */
    enum PolledStatus {
        COMPLETED, FAILED, PENDING;

        static PolledStatus of(String status) {
            return switch (status) {
                case "completed" -> COMPLETED;
                case "failed", "expired" -> FAILED;
                default -> PENDING;
            };
        }
    }

    private static boolean contains(ByteBuf content, ByteBuf wanted) {
        return ByteBufUtil.indexOf(wanted, content) >= 0;
    }

    /** CPU time of this whole process so far, or 0 when the JVM does not tell. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    private static String kind(Throwable cause) {
        if (cause instanceof java.net.ConnectException) {
            return "ConnectException"; // Netty's subclass adds the address to the message, not to the kind
        }
        return cause == null ? "failed" : cause.getClass().getSimpleName();
    }

    /** Tasks to read in a {@code get} run, made one after the other before it starts (not measured). */
    private List<String> makeTasks() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < GET_TASKS; i++) {
                HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(options.api() + "/api/v1/health-checks?wait=10"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"));
                if (options.token() != null) {
                    post.header("Authorization", "Bearer " + options.token());
                }
                HttpResponse<String> response = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 && response.statusCode() != 202) {
                    throw new IOException("cannot make tasks to read: HTTP " + response.statusCode() + " "
                            + response.body());
                }
                JsonNode task = json.readTree(response.body());
                ids.add(task.path("task_id").asText());
            }
        }
        return ids;
    }
}
