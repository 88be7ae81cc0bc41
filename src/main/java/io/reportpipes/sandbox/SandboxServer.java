package io.reportpipes.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The vendor sandboxes (serviceminder under /api/download/, Crewmojo under /v1/) as one HTTP server on localhost (JDK built-in server, so it needs no dependency and
 * starts in milliseconds). Port 0 picks a free port; {@link #baseUrl()} tells which.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxServer.class);

    /** What any HTTP front end may answer on a bad day, whatever the vendor. */
    private static final List<String> GENERIC_FAULTS = List.of("502-html", "503-html", "429", "slow");
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests;
    private final Chaos chaos;

    private SandboxServer(HttpServer server, ExecutorService executor, AtomicLong requests, Chaos chaos) {
        this.server = server;
        this.executor = executor;
        this.requests = requests;
        this.chaos = chaos;
    }

    /** A sandbox of serviceminder only (Crewmojo knows no client then). */
    public static SandboxServer start(int port, ServiceminderSandbox serviceminder) throws IOException {
        return start(port, serviceminder, new CrewmojoSandbox(0, java.time.Duration.ofMinutes(30),
                java.time.Duration.ofMinutes(10), 0));
    }

    public static SandboxServer start(int port, ServiceminderSandbox serviceminder, CrewmojoSandbox crewmojo)
            throws IOException {
        return start(port, serviceminder, crewmojo, null);
    }

    /** Both sandboxes, with seeded faults on a share of the calls when {@code chaos} is given. */
    public static SandboxServer start(int port, ServiceminderSandbox serviceminder, CrewmojoSandbox crewmojo,
                                      Chaos chaos) throws IOException {
        AtomicLong requests = new AtomicLong();
        // TCP_NODELAY on the answers, as production web servers set it: without it, an answer's last small
        // write waited for the client's delayed ACK (up to 40 ms a call, a third of a 25,000-row page's time).
        // The JDK server reads this once, when its first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
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
                requests.incrementAndGet();
                boolean toServiceminder = path.startsWith(ServiceminderSandbox.PATH);
                if (chaos != null && misbehave(exchange, chaos, toServiceminder ? serviceminder.chaosFaults(exchange)
                        : crewmojo.chaosFaults(exchange), fault -> {
                            if (toServiceminder) {
                                serviceminder.injectNow(exchange, fault);
                            } else {
                                crewmojo.injectNow(exchange, fault);
                            }
                        })) {
                    return;
                }
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
        SandboxServer sandbox = new SandboxServer(server, executor, requests, chaos);
        LOG.info("Vendor sandbox listening on {}", sandbox.baseUrl());
        return sandbox;
    }

    public String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /**
     * Serves this call's chaos fault, if one is drawn: the generic ones here, a vendor's own by injecting it
     * into the vendor sandbox for this call. True when the answer is given already.
     */
    private static boolean misbehave(HttpExchange exchange, Chaos chaos, List<String> vendorFaults,
                                     Consumer<String> inject) throws IOException {
        List<String> faults = new ArrayList<>(GENERIC_FAULTS);
        faults.addAll(vendorFaults);
        String fault = chaos.draw(faults);
        if (fault == null) {
            return false;
        }
        switch (fault) {
            case Chaos.RESET -> throw new ConnectionReset();
            case "502-html", "503-html" -> {
                String code = fault.substring(0, 3);
                send(exchange, Integer.parseInt(code), "text/html; charset=utf-8", ("<!DOCTYPE html><html><head><title>"
                        + code + " " + (code.equals("502") ? "Bad Gateway" : "Service Unavailable")
                        + "</title></head><body><h1>" + code + "</h1><hr>nginx</body></html>")
                        .getBytes(StandardCharsets.UTF_8));
                return true;
            }
            case "429" -> {
                exchange.getResponseHeaders().set("Retry-After", "1");
                send(exchange, 429, "application/json", "{\"message\":\"Too Many Requests\"}"
                        .getBytes(StandardCharsets.UTF_8));
                return true;
            }
            case "slow" -> {
                try {
                    Thread.sleep(chaos.slowMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            default -> {
                inject.accept(fault);
                return false;
            }
        }
    }

    /** Thrown out of a handler, it makes the JDK server drop the connection without an answer. */
    private static final class ConnectionReset extends RuntimeException {
        ConnectionReset() {
            super("sandbox chaos: connection reset", null, false, false);
        }
    }

    /** Requests served so far, every endpoint and vendor. */
    public long requests() {
        return requests.get();
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
        // bench/soak.sh reads this line
        LOG.info("Vendor sandbox served {} requests; faults served: {}", requests.get(),
                chaos == null ? "none" : chaos.counts());
    }
}
