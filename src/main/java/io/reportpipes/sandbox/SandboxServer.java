package io.reportpipes.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The vendor sandboxes (serviceminder under /api/download/, Crewmojo under /v1/) as one HTTP server on localhost (JDK built-in server, so it needs no dependency and
 * starts in milliseconds). Port 0 picks a free port; {@link #baseUrl()} tells which.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private SandboxServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** A sandbox of serviceminder only (Crewmojo knows no client then). */
    public static SandboxServer start(int port, ServiceminderSandbox serviceminder) throws IOException {
        return start(port, serviceminder, new CrewmojoSandbox(0, java.time.Duration.ofMinutes(30),
                java.time.Duration.ofMinutes(10), 0));
    }

    public static SandboxServer start(int port, ServiceminderSandbox serviceminder, CrewmojoSandbox crewmojo)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        ExecutorService executor = Executors.newFixedThreadPool(32, r -> {
            Thread thread = new Thread(r, "sandbox-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.startsWith(ServiceminderSandbox.PATH)) {
                    serviceminder.handle(exchange);
                } else if (path.startsWith("/v1/")) {
                    crewmojo.handle(exchange);
                } else {
                    empty(exchange);
                }
            } catch (IOException e) {
                // the client went away mid-answer: nothing to answer any more
                LOG.debug("sandbox answer aborted: {}", e.toString());
            }
        });
        server.start();
        SandboxServer sandbox = new SandboxServer(server, executor);
        LOG.info("Vendor sandbox listening on {}", sandbox.baseUrl());
        return sandbox;
    }

    public String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** An empty 200, as the vendor answers an unknown path. */
    static void empty(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
