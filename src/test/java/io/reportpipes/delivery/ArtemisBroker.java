package io.reportpipes.delivery;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import java.nio.file.Path;

/**
 * A real Artemis broker in the test JVM, persistent (journal in a temp folder), listening on tcp on
 * 127.0.0.1 so the routes connect as they would to a remote broker. Duplicate detection is on.
 */
public final class ArtemisBroker implements AutoCloseable {

    private final EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    private final int port;

    public ArtemisBroker(Path dir) throws Exception {
        this.port = S3MockServer.freePort();
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setSecurityEnabled(false)
                .setIDCacheSize(20_000)
                .setPersistIDCache(true)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        broker.setConfiguration(config);
        broker.start();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
        // Artemis' client thread pools are not daemons: without this the JVM lingers
        ActiveMQClient.clearThreadPools();
    }
}
