package io.reportpipes.ops;

import io.reportpipes.state.CheckpointStore;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.jms.connection.SingleConnectionFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Readiness: down while something the jobs cannot work without is down: the checkpoint store, the JMS
 * broker (when a job delivers to jms:) or a file sink's folder. A job would only fail against it.
 */
public final class DependenciesHealthCheck extends AbstractHealthCheck {

    private final CheckpointStore store;
    private final Set<String> sinkUris;

    /** @param sinkUris the endpoint URIs the configured jobs deliver to */
    public DependenciesHealthCheck(CheckpointStore store, Set<String> sinkUris) {
        super("report-pipes", "dependencies");
        this.store = store;
        this.sinkUris = sinkUris;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean up = check(builder, "checkpoint-store", () -> store.probe());
        if (sinkUris.stream().anyMatch(uri -> uri.startsWith("jms:"))) {
            up &= check(builder, "sink.jms", this::probeBroker);
        }
        for (String uri : sinkUris) {
            if (uri.startsWith("file:")) {
                Path folder = Path.of(uri.substring("file:".length()).replaceAll("\\?.*", ""));
                up &= check(builder, "sink." + uri.replaceAll("\\?.*", ""), () -> {
                    Files.createDirectories(folder);
                    if (!Files.isWritable(folder)) {
                        throw new IllegalStateException(folder + " is not writable");
                    }
                });
            }
        }
        builder.message(up ? "checkpoint store and sinks reachable" : "a dependency is down: see the details");
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }

    private interface Probe {
        void run() throws Exception;
    }

    private static boolean check(HealthCheckResultBuilder builder, String name, Probe probe) {
        try {
            probe.run();
            builder.detail(name, "UP");
            return true;
        } catch (Exception e) {
            builder.detail(name, "DOWN: " + e.getMessage());
            return false;
        }
    }

    /** Opens (and closes) a connection of its own, past the cached one, which may not have noticed yet. */
    private void probeBroker() throws Exception {
        ConnectionFactory factory = getCamelContext().getComponent("jms", JmsComponent.class).getConfiguration()
                .getConnectionFactory();
        if (factory instanceof SingleConnectionFactory cached && cached.getTargetConnectionFactory() != null) {
            factory = cached.getTargetConnectionFactory();
        }
        try (Connection connection = factory.createConnection()) {
            connection.getMetaData();
        }
    }
}
