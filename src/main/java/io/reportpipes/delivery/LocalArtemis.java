package io.reportpipes.delivery;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnector;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * An Apache Artemis broker in this process, for trying the JMS sink locally (the local-brokers
 * profile) and for tests: persistent (journal under a data folder, not fsynced), tcp on 127.0.0.1, duplicate
 * detection on, no security. Not for production: point sink.jms.broker-url at a real broker there.
 */
public final class LocalArtemis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");
    private final EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    private final int port;

    public LocalArtemis(Path dataDir, int port) throws Exception {
        this.port = port;
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setSecurityEnabled(false)
                .setIDCacheSize(20_000)
                .setPersistIDCache(true)
                // a trial broker: the journal is written, but not fsynced per message (that costs ~0.2 s each)
                .setJournalSyncNonTransactional(false)
                .setJournalSyncTransactional(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        broker.setConfiguration(config);
        broker.start();
        LOG.info("Local Artemis broker listening on {} (data in {})", url(), dataDir);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** How many messages wait on a queue (0 while it does not exist yet). */
    public long waiting(String queue) {
        var found = broker.getActiveMQServer().locateQueue(queue);
        return found == null ? 0 : found.getMessageCount();
    }

    /** Stops the broker; JMS clients in this process keep working against another broker. */
    @Override
    public void close() throws Exception {
        broker.stop();
    }

    /** The local-brokers profile's broker: stopped, with the process's Artemis threads, when the answer is closed. */
    public static AutoCloseable startForThisProcess(Path dataDir, int port) throws Exception {
        LocalArtemis artemis = new LocalArtemis(dataDir, port);
        return () -> {
            artemis.close();
            releaseThreads();
        };
    }

    /**
     * At process end: Artemis' client and in-VM thread pools are not daemons, and without this the JVM
     * lingers a minute. It stops every Artemis client of the process, so only once nothing else runs.
     */
    public static void releaseThreads() {
        ActiveMQClient.clearThreadPools();
        InVMConnector.resetThreadPool();
    }
}
