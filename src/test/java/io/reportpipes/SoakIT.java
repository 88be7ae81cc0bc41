package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.delivery.DeliveryHeaders;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.testing.CsvTable;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault soak, reduced (bench/soak.sh runs it at full size): the default job set against the embedded sandbox,
 * once fault-free to files and once with 10 % of calls failing (the sandbox's whole mix, seeded) and 2 % of
 * connections reset, north delivering to S3, south and the Crewmojo client to JMS, east to files. Every job
 * completes with the same rows in every sink, requests stay within 1.5x, no call is retried past its limit, no
 * page is polled more than its faults explain, and the log names each kind of fault served.
 */
class SoakIT {

    private static final Pattern SERVED = Pattern.compile("served (\\d+) requests; faults served: (.*)");
    private static final Pattern ATTEMPT = Pattern.compile("; retry (\\d+) of \\d+ in ");
    private static final Pattern STATUS_CALLS = Pattern.compile("ready after (\\d+) status call");
    private static final int MAX_REDELIVERIES = 6;
    /**
     * How each fault shows in the log (a regular expression for the message a user would search for). The HTTP
     * client itself retries a 429 or 503 once after its Retry-After ("responded with status 429; request will be
     * automatically re-executed"); our retries log "statusCode: 429".
     */
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("502-html", "statusCode: 502|HTTP 502"), Map.entry("503-html", "status(Code:)? 503|HTTP 503"),
            Map.entry("429", "status(Code:)? 429|HTTP 429"), Map.entry("slow", "Read timed out"),
            Map.entry("reset", "failed to respond|NoHttpResponseException|Connection reset"), Map.entry("HTTP_500", "statusCode: 500|HTTP 500"),
            Map.entry("TRY_AGAIN", "Please try again later"), Map.entry("QUEUE_FULL", "download queue is full"),
            Map.entry("EMPTY_BODY", "answered an empty body"), Map.entry("TRUNCATED_ROW", "cut short"),
            Map.entry("CUT_CONNECTION", "Premature end"), Map.entry("CUT_BODY", "cut short"), Map.entry("INVALIDATE_TOKEN", "the token was refused \\(401\\)"),
            Map.entry("EXPIRE_JOB", "expired or unknown"), Map.entry("NOT_READY_ONCE", "ready after [0-9]+ status call"));
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path dir;

    private AppRun run(String name, double failRate, double resetRate) throws Exception {
        return AppRun.embedded(dir.resolve(name))
                // two pages a Kind, a few status calls a page: a few hundred calls to fail
                .set("sandbox.serviceminder.rows", "26000")
                .set("sandbox.serviceminder.rows.north.contacts", "30001")
                .set("sandbox.crewmojo.rows", "3000")
                .set("sandbox.crewmojo.slow.goals.progress", "300ms")
                .set("sandbox.serviceminder.ready-after", "1s")
                .set("sandbox.chaos.fail-rate", Double.toString(failRate))
                .set("sandbox.chaos.reset-rate", Double.toString(resetRate))
                .set("sandbox.chaos.slow", "1500ms")
                .set("camel.component.http.so-timeout", "1000")
                .set("retry.max-redeliveries", Integer.toString(MAX_REDELIVERIES))
                .set("crewmojo.poll.max-requests", "5");
    }

    @Test
    void givenTenPercentOfCallsFailingAndTwoPercentReset_thenEveryJobDeliversTheSameRowsToEverySinkWithoutARetryStorm()
            throws Exception {
        AppRun clean = run("clean", 0, 0);
        AppRun.Result cleanResult = clean.run();
        Map<String, List<String>> expected = delivered(clean.out());
        assertEquals(0, cleanResult.summary().failures(), cleanResult::logText);
        assertEquals(10, expected.size(), "the default job set: " + expected.keySet());

        AppRun.Result soakResult;
        Map<String, List<String>> arrived;
        try (S3MockServer s3 = S3MockServer.start();
             LocalArtemis broker = new LocalArtemis(dir.resolve("broker"), S3MockServer.freePort())) {
            AppRun soak = run("soak", 0.10, 0.02).set("sandbox.deliver-to-remote-sinks", "true")
                    .set("serviceminder.organisation.north.sink", "s3").set("sink.s3.uri", s3.sinkUri())
                    .set("serviceminder.organisation.south.sink", "jms").set("crewmojo.client.people.sink", "jms")
                    .set("sink.jms.broker-url", broker.url());
            soakResult = soak.run();
            arrived = delivered(soak.out());
            arrived.putAll(objects(s3));
            arrived.putAll(messages(broker));
        }

        assertEquals(0, soakResult.summary().failures(), soakResult::logText);
        assertEquals(expected, arrived, "every job's rows, in order, none lost or doubled, whatever the sink");

        Matcher cleanServed = served(cleanResult);
        Matcher soakServed = served(soakResult);
        long cleanRequests = Long.parseLong(cleanServed.group(1));
        long soakRequests = Long.parseLong(soakServed.group(1));
        assertTrue(soakRequests <= 1.5 * cleanRequests, "no retry storm: " + soakRequests + " requests with faults, "
                + cleanRequests + " without");
        String log = soakResult.logText();
        // one WARN line per retry ("…; retry 2 of 6 in 0.4s"): the most a call needed
        int most = most(ATTEMPT, log);
        assertTrue(most >= 1 && most <= MAX_REDELIVERIES, "failed calls were retried, within retry.max-redeliveries: "
                + most);
        assertFalse(log.contains("Failed delivery for (MessageId"), "Camel's own retry line is replaced");
        // polling: no faster than serviceminder.poll.first-interval (50 ms) while the sandbox takes 1 s to be
        // ready, plus one call per "not ready" fault
        Matcher notReady = Pattern.compile("NOT_READY_ONCE=(\\d+)").matcher(soakServed.group(2));
        int allowed = 1000 / 50 + 1 + (notReady.find() ? Integer.parseInt(notReady.group(1)) : 0);
        assertTrue(most(STATUS_CALLS, log) <= allowed, "no page polled faster than its settings allow: "
                + most(STATUS_CALLS, log) + " status calls, at most " + allowed);
        List<String> unnamed = new ArrayList<>();
        for (String fault : soakServed.group(2).replaceAll("[{}]", "").split(", ")) {
            String kind = fault.substring(0, fault.indexOf('='));
            if (!Pattern.compile(NAMED.getOrDefault(kind, kind)).matcher(log).find()) {
                unnamed.add(kind);
            }
        }
        assertEquals(List.of(), unnamed, "faults served (" + soakServed.group(2) + ") the log does not name");
    }

    /** The largest number the pattern's group 1 finds in the text, -1 if none. */
    private static int most(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int most = -1;
        while (matcher.find()) {
            most = Math.max(most, Integer.parseInt(matcher.group(1)));
        }
        return most;
    }

    private static Matcher served(AppRun.Result result) {
        Matcher served = SERVED.matcher(result.logText());
        assertTrue(served.find(), "the sandbox logs what it served");
        return served;
    }

    /** Per job, the rows of its pages in page order (CSV rows or JSON records, as text), from the files sink. */
    private Map<String, List<String>> delivered(Path out) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>();
        if (!Files.exists(out)) {
            return rows;
        }
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path page : walk.filter(p -> p.getFileName().toString().startsWith("page-")).sorted().toList()) {
                // out/<vendor>/<account>/<report>/<run>/page-N
                add(rows, out.relativize(page).toString().replace('\\', '/'), Files.readAllBytes(page));
            }
        }
        return rows;
    }

    /** The same, from the S3 sink's bucket (keys <vendor>/<account>/<report>/<run>/page-N). */
    private Map<String, List<String>> objects(S3MockServer s3) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>();
        try (S3Client client = s3.client()) {
            for (String key : client.listObjectsV2Paginator(b -> b.bucket(S3MockServer.BUCKET)).contents().stream()
                    .map(S3Object::key).filter(k -> k.contains("/page-")).sorted().toList()) {
                add(rows, key, client.getObjectAsBytes(b -> b.bucket(S3MockServer.BUCKET).key(key)).asByteArray());
            }
        }
        return rows;
    }

    /** The same, from the JMS sink's queue (one message a page, its key in ReportPipesKey). */
    private Map<String, List<String>> messages(LocalArtemis broker) throws Exception {
        Map<String, byte[]> pages = new TreeMap<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
             JMSContext context = factory.createContext();
             JMSConsumer consumer = context.createConsumer(context.createQueue("reports"))) {
            for (Message message = consumer.receive(2000); message != null; message = consumer.receive(300)) {
                String key = message.getStringProperty(DeliveryHeaders.KEY);
                if (key.contains("/page-") && message instanceof BytesMessage bytes) {
                    byte[] body = new byte[(int) bytes.getBodyLength()];
                    bytes.readBytes(body);
                    pages.put(key, body);
                }
            }
        }
        Map<String, List<String>> rows = new TreeMap<>();
        for (Map.Entry<String, byte[]> page : pages.entrySet()) {
            add(rows, page.getKey(), page.getValue());
        }
        return rows;
    }

    private void add(Map<String, List<String>> rows, String key, byte[] page) throws Exception {
        String job = String.join("/", List.of(key.split("/")).subList(0, 3));
        List<String> records = rows.computeIfAbsent(job, j -> new ArrayList<>());
        if (key.endsWith(".json")) {
            for (JsonNode record : json.readTree(page)) {
                records.add(record.toString());
            }
        } else {
            Path file = Files.createTempFile(dir, "page", ".csv");
            Files.write(file, page);
            CsvTable.read(file).rows().forEach(row -> records.add(String.join("\u241f", row)));
        }
    }
}
