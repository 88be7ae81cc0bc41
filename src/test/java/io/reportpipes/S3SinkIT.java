package io.reportpipes;

import io.reportpipes.delivery.S3MockServer;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.testing.CsvTable;
import io.reportpipes.testing.TestSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 sink against a real S3-compatible server (S3Mock), read back with the AWS SDK. */
class S3SinkIT {

    private static final String KEY = "test-key-s3-4411";
    private static S3MockServer s3;
    private ServiceminderSandbox serviceminder;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3MockServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @BeforeEach
    void startSandbox() throws Exception {
        serviceminder = new ServiceminderSandbox(11, Duration.ofMillis(50), 100, 100);
        serviceminder.addOrganisation(new Organisation("delta", KEY, 21, Set.of(7)));
        sandbox = sandboxes.serve(serviceminder);
    }


    private AppRun app() {
        return new AppRun(sandbox, dir).organisation("delta", KEY, 7, "contacts")
                .set("serviceminder.organisation.delta.sink", "s3")
                .set("sink.key-prefix", "exports/");
    }

    @Test
    void givenTheS3Sink_whenRunOnce_thenEveryRowArrivesOnceAsOneObjectPerPagePlusADoneMarker() throws Exception {
        serviceminder.rows("delta", "contacts", 60_001);

        AppRun.Result result = app().set("sink.s3.uri", s3.sinkUri()).run();

        assertEquals(0, result.summary().failures(), result::logText);
        try (S3Client client = s3.client()) {
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket(S3MockServer.BUCKET)
                    .prefix("exports/serviceminder/delta/contacts/")).contents().stream().map(S3Object::key).toList();
            assertEquals(4, keys.size(), keys.toString());
            String run = keys.get(0).split("/")[4];
            String prefix = "exports/serviceminder/delta/contacts/" + run + "/";
            assertEquals(List.of(prefix + "_SUCCESS", prefix + "page-00001.csv", prefix + "page-00002.csv",
                    prefix + "page-00003.csv"), keys.stream().sorted().toList());

            List<List<String>> rows = new ArrayList<>();
            for (String key : keys.stream().sorted().filter(k -> k.contains("page-")).toList()) {
                ResponseBytes<GetObjectResponse> object = client.getObjectAsBytes(b -> b.bucket(S3MockServer.BUCKET).key(key));
                Map<String, String> metadata = object.response().metadata();
                assertEquals("serviceminder", metadata.get("vendor"));
                assertEquals("delta", metadata.get("organisation"));
                assertEquals("contacts", metadata.get("kind"));
                assertEquals(run, metadata.get("run"));
                List<List<String>> page = CsvTable.parse(object.asString(StandardCharsets.UTF_8)).rows();
                assertEquals(Long.toString(page.size()), metadata.get("rows"));
                rows.addAll(page);
            }
            var payload = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("Kind", "contacts");
            assertEquals(serviceminder.expectedRecords("delta", payload), rows);
            String done = client.getObjectAsBytes(b -> b.bucket(S3MockServer.BUCKET).key(prefix + "_SUCCESS"))
                    .asString(StandardCharsets.UTF_8);
            assertTrue(done.contains("\"rows\":60001") && done.contains("\"pages\":3"), done);
        }
        assertFalse(result.logText().contains(KEY));
        assertFalse(result.logText().contains("test-secret"), "the S3 secret never reaches the log");
    }

    @Test
    void givenAPageLargerThanAPart_whenUploaded_thenItGoesUpInPartsAndReadsBackWhole() throws Exception {
        serviceminder.rows("delta", "contacts", 25_000);

        AppRun.Result result = app().set("sink.s3.uri", s3.sinkUri()).set("sink.key-prefix", "parts/")
                .set("serviceminder.organisation.delta.transform", "jsonl").run();

        assertEquals(0, result.summary().failures(), result::logText);
        try (S3Client client = s3.client()) {
            S3Object page = client.listObjectsV2(b -> b.bucket(S3MockServer.BUCKET).prefix("parts/")).contents()
                    .stream().filter(o -> o.key().endsWith("page-00001.jsonl")).findFirst().orElseThrow();
            assertTrue(page.size() > 5 * 1024 * 1024, "the page is larger than one 5 MiB part: " + page.size());
            assertTrue(page.eTag().replace("\"", "").endsWith("-2"), "a multipart object's ETag ends in -<parts>: "
                    + page.eTag());
            String body = client.getObjectAsBytes(b -> b.bucket(S3MockServer.BUCKET).key(page.key()))
                    .asString(StandardCharsets.UTF_8);
            assertEquals(25_000, body.lines().count());
            assertEquals("application/x-ndjson", client.headObject(b -> b.bucket(S3MockServer.BUCKET)
                    .key(page.key())).contentType());
        }
    }

    @Test
    void givenAnUploadThatFailsAfterWriting_whenRetried_thenTheObjectIsReplacedNotDoubled() throws Exception {
        serviceminder.rows("delta", "contacts", 30_000);
        java.util.concurrent.atomic.AtomicInteger uploads = new java.util.concurrent.atomic.AtomicInteger();
        AppRun app = app().set("sink.s3.uri", s3.sinkUri()).set("sink.key-prefix", "again/")
                .set("serviceminder.organisation.delta.sink", "flaky")
                .set("sink.flaky.uri", "direct:flaky-s3")
                .route(new org.apache.camel.builder.RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:flaky-s3").routeId("test-flaky-s3").errorHandler(noErrorHandler())
                                .to("{{sink.s3.uri}}")
                                .process(exchange -> {
                                    if (uploads.incrementAndGet() % 2 == 1) {
                                        throw new java.io.IOException("connection lost after the upload");
                                    }
                                });
                    }
                });

        AppRun.Result result = app.run();

        assertEquals(0, result.summary().failures(), result::logText);
        assertEquals(6, uploads.get(), "2 pages and the done marker, each uploaded twice");
        try (S3Client client = s3.client()) {
            List<S3Object> objects = client.listObjectsV2(b -> b.bucket(S3MockServer.BUCKET).prefix("again/"))
                    .contents();
            assertEquals(3, objects.size(), objects.toString());
            long rows = 0;
            for (S3Object object : objects) {
                if (object.key().contains("page-")) {
                    String body = client.getObjectAsBytes(b -> b.bucket(S3MockServer.BUCKET).key(object.key()))
                            .asString(StandardCharsets.UTF_8);
                    rows += CsvTable.parse(body).records().size();
                }
            }
            assertEquals(30_000, rows);
        }
    }

    @Test
    void givenAnS3EndpointThatIsDown_whenRunOnce_thenTheJobFailsClearlyAndWritesNoDoneMarker() throws Exception {
        serviceminder.rows("delta", "contacts", 500);
        String down = s3.sinkUri().replace(s3.endpoint(), "http://127.0.0.1:" + S3MockServer.freePort());

        AppRun.Result result = app().set("sink.s3.uri", down).set("sink.key-prefix", "down/")
                .set("retry.max-redeliveries", "1").run();

        assertEquals(1, result.summary().failures());
        assertTrue(result.summary().results().get(0).error().toLowerCase().contains("connect"), result.summary().results().get(0).error());
        assertFalse(result.logText().contains("test-secret"), "the S3 secret never reaches the log");
        try (S3Client client = s3.client()) {
            assertEquals(0, client.listObjectsV2(b -> b.bucket(S3MockServer.BUCKET)
                    .prefix("down/")).keyCount());
        }
    }
}
