package io.reportpipes;

import com.fasterxml.jackson.databind.JsonNode;
import io.reportpipes.testing.CsvTable;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What reached a sink, read as a user would check it: a job's folder, a bucket's keys, a queue's messages. */
final class Delivered {

    private Delivered() {
    }

    /** A job's files in the folder sink (pages and done marker), sorted. */
    static List<Path> files(Path job) throws IOException {
        if (!Files.exists(job)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(job)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static boolean hasDoneMarker(Path job) {
        try {
            return files(job).stream().anyMatch(f -> f.getFileName().toString().equals("_SUCCESS"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The rows of a job's CSV pages in the folder, in page order. */
    static List<List<String>> csvPages(Path job) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (Path page : pages(job)) {
            rows.addAll(CsvTable.read(page).rows());
        }
        return rows;
    }

    static List<Path> pages(Path job) throws IOException {
        return files(job).stream().filter(f -> f.getFileName().toString().startsWith("page-")).toList();
    }

    /** JSON records (an array of objects) as rows of the given columns. */
    static List<List<String>> records(JsonNode array, List<String> columns) {
        List<List<String>> records = new ArrayList<>();
        array.forEach(record -> records.add(columns.stream().map(c -> record.get(c).asText()).toList()));
        return records;
    }

    /** The keys under a prefix of the report-pipes bucket, sorted (none while the bucket does not exist). */
    static List<String> keys(S3Client client, String prefix) {
        return keys(client, "report-pipes", prefix);
    }

    /** The keys under a prefix of a bucket, sorted (none while the bucket does not exist). */
    static List<String> keys(S3Client client, String bucket, String prefix) {
        try {
            return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key).sorted().toList();
        } catch (NoSuchBucketException e) {
            return List.of();
        }
    }

    /** Takes every message waiting on a queue, as text. */
    static List<String> drain(String brokerUrl, String queue) {
        List<String> bodies = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
             JMSContext context = factory.createContext();
             JMSConsumer consumer = context.createConsumer(context.createQueue(queue))) {
            for (Message message = consumer.receive(200); message != null; message = consumer.receive(200)) {
                if (message instanceof BytesMessage bytes) {
                    byte[] body = new byte[(int) bytes.getBodyLength()];
                    bytes.readBytes(body);
                    bodies.add(new String(body, StandardCharsets.UTF_8));
                } else {
                    bodies.add(((TextMessage) message).getText());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return bodies;
    }
}
