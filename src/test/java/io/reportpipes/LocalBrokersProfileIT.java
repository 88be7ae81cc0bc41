package io.reportpipes;

import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** application-local-brokers.properties: the main job with an Artemis broker of its own. */
class LocalBrokersProfileIT {

    @TempDir
    Path dir;

    @Test
    void givenTheLocalBrokersProfile_whenRunOnce_thenEveryRowIsInTheLocalBrokersJournal() throws Exception {
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(17, Duration.ofMillis(50), 100, 1_200);
        serviceminder.addOrganisation(new Organisation("kappa", "test-key-kappa-3", 41, Set.of(3)));
        int port = S3MockServer.freePort();
        Path data = dir.resolve("artemis");
        AppRun.Result result;
        System.setProperty("camel.main.profile", "local-brokers");
        try (SandboxServer sandbox = SandboxServer.start(0, serviceminder)) {
            result = new AppRun(sandbox, dir).organisation("kappa", "test-key-kappa-3", 3, "services")
                    .set("local-brokers.artemis.port", Integer.toString(port))
                    .set("local-brokers.artemis.data-dir", data.toString())
                    .run();
        } finally {
            System.clearProperty("camel.main.profile");
        }
        assertEquals(0, result.summary().failures(), result::logText);
        assertTrue(result.logText().contains("Local Artemis broker listening on tcp://127.0.0.1:" + port));

        // the run's broker stopped with the run: open its journal again and read what it kept
        int records = 0;
        int messages = 0;
        try (LocalArtemis again = new LocalArtemis(data, S3MockServer.freePort());
             ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(again.url());
             JMSContext context = factory.createContext();
             JMSConsumer consumer = context.createConsumer(context.createQueue("reports"))) {
            for (Message message = consumer.receive(2000); message != null; message = consumer.receive(500)) {
                messages++;
                if (!"true".equals(message.getStringProperty("ReportPipesDone"))) {
                    records += Integer.parseInt(message.getStringProperty("ReportPipesRows"));
                    assertTrue(((TextMessage) message).getText().startsWith("[{\"Id\":"));
                }
            }
        }
        var payload = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("Kind", "services");
        assertEquals(serviceminder.expectedRecords("kappa", payload).size(), records);
        assertEquals((records + 499) / 500 + 1, messages, "batches of 500, then the done marker");
    }
}
