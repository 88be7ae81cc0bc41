package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.testing.TestSandbox;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMS sink against a real Artemis broker over tcp, consumed back with a plain JMS client. */
class JmsSinkIT {

    private static final String KEY = "test-key-jms-8812";
    private final ObjectMapper json = new ObjectMapper();
    private ServiceminderSandbox serviceminder;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    private LocalArtemis broker;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        serviceminder = new ServiceminderSandbox(13, Duration.ofMillis(50), 100, 100);
        serviceminder.addOrganisation(new Organisation("omega", KEY, 31, Set.of(9)));
        sandbox = sandboxes.serve(serviceminder);
        broker = new LocalArtemis(dir.resolve("broker"), S3MockServer.freePort());
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
    }

    private AppRun app(String brokerUrl) {
        return new AppRun(sandbox, dir).organisation("omega", KEY, 9, "invoices")
                .set("serviceminder.organisation.omega.sink", "jms")
                .set("serviceminder.organisation.omega.transform", "records")
                .set("transform.records.batch-size", "1000")
                .set("sink.jms.broker-url", brokerUrl)
                .set("sink.jms.queue", "invoices");
    }

    @Test
    void givenJsonRecordsToJms_whenRunOnce_thenEveryRecordArrivesOnceInBatchesThenTheEndOfRun() throws Exception {
        serviceminder.rows("omega", "invoices", 2_500);

        AppRun.Result result = app(broker.url()).run();

        assertEquals(0, result.summary().failures(), result::logText);
        List<Message> messages = drain("invoices");
        assertEquals(4, messages.size(), "3 batches of at most 1000 records, then the done marker");
        List<List<String>> records = new ArrayList<>();
        List<String> header = null;
        for (int i = 0; i < 3; i++) {
            Message message = messages.get(i);
            assertEquals(Integer.toString(i + 1), message.getStringProperty("ReportPipesBatch"));
            assertEquals("1", message.getStringProperty("ReportPipesPage"));
            assertEquals("omega", message.getStringProperty("ReportPipesOrganisation"));
            assertEquals("invoices", message.getStringProperty("ReportPipesKind"));
            String key = message.getStringProperty("ReportPipesKey");
            assertTrue(key.matches("serviceminder/omega/invoices/\\d{8}T\\d{6}Z/page-00001\\.json#batch-0000" + (i + 1)), key);
            assertEquals(key, message.getStringProperty("_AMQ_DUPL_ID"));
            JsonNode batch = json.readTree(((TextMessage) message).getText());
            assertEquals(Integer.parseInt(message.getStringProperty("ReportPipesRows")), batch.size());
            for (JsonNode record : batch) {
                if (header == null) {
                    header = names(record.fieldNames());
                }
                List<String> values = new ArrayList<>();
                record.elements().forEachRemaining(v -> values.add(v.asText()));
                records.add(values);
            }
        }
        var payload = json.createObjectNode().put("Kind", "invoices");
        assertEquals(serviceminder.expectedRecords("omega", payload), records);
        Message done = messages.get(3);
        assertEquals("true", done.getStringProperty("ReportPipesDone"));
        assertEquals("2500", done.getStringProperty("ReportPipesRows"));
        for (Message message : messages) {
            for (String name : names(message.getPropertyNames())) {
                assertFalse(String.valueOf(message.getObjectProperty(name)).contains(KEY), name + " carries the API key");
            }
        }
    }

    @Test
    void givenABatchSentAgain_whenItsDuplicateIdWasSeen_thenTheBrokerDropsIt() throws Exception {
        serviceminder.rows("omega", "invoices", 1_500);
        assertEquals(0, app(broker.url()).run().summary().failures());
        List<Message> first = drain("invoices");
        assertEquals(3, first.size());

        // what a retry of the delivery would send: the same key, so the same _AMQ_DUPL_ID
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
             JMSContext context = factory.createContext()) {
            TextMessage again = context.createTextMessage(((TextMessage) first.get(0)).getText());
            again.setStringProperty("_AMQ_DUPL_ID", first.get(0).getStringProperty("_AMQ_DUPL_ID"));
            context.createProducer().send(context.createQueue("invoices"), again);
        }

        assertEquals(List.of(), drain("invoices"), "the duplicate was dropped");
    }

    @Test
    void givenTheBrokerIsDown_whenRunOnce_thenTheJobFailsClearly() throws Exception {
        serviceminder.rows("omega", "invoices", 100);

        AppRun.Result result = app("tcp://127.0.0.1:" + S3MockServer.freePort())
                .set("retry.max-redeliveries", "1").run();

        assertEquals(1, result.summary().failures());
        String error = result.summary().results().get(0).error();
        assertTrue(error.toLowerCase().contains("connect"), error);
        assertFalse(error.startsWith("Multicast processing failed"), error);
        assertTrue(result.logText().contains("serviceminder/omega/invoices: deliver-records failed: ") && result
                .logText().contains("; retry 1 of 1 in "), "a broker outage is retried, one line per retry:\n" + result.logText());
    }

    private List<Message> drain(String queue) throws Exception {
        List<Message> messages = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
             JMSContext context = factory.createContext();
             JMSConsumer consumer = context.createConsumer(context.createQueue(queue))) {
            for (Message message = consumer.receive(2000); message != null; message = consumer.receive(500)) {
                messages.add(message);
                ((TextMessage) message).getText();
            }
        }
        return messages;
    }

    private static List<String> names(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(java.util.Enumeration<?> names) {
        return Collections.list((java.util.Enumeration<String>) names);
    }
}
