package io.reportpipes.delivery;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Adobe S3Mock as its own Java process (it is a Spring Boot app and clashes with the test JVM), on free
 * ports of 127.0.0.1, its store under target/. The jar is copied there by the pom.
 */
public final class S3MockServer implements AutoCloseable {

    public static final String BUCKET = "reports";
    private final Process process;
    private final int port;

    private S3MockServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static S3MockServer start() throws Exception {
        Path jar = Path.of("target/s3mock/s3mock.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (it copies the jar)");
        }
        int http = freePort();
        Path root = Files.createDirectories(Path.of("target/s3mock-root", UUID.randomUUID().toString()));
        Path log = root.resolveSibling(root.getFileName() + ".log");
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--http.port=" + http, "--server.port=" + freePort(),
                "--server.address=127.0.0.1", "--com.adobe.testing.s3mock.store.root=" + root.toAbsolutePath(),
                "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3MockServer server = new S3MockServer(process, http);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("S3Mock did not start; see " + log);
            }
            Thread.sleep(200);
        }
        return server;
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            connection.setConnectTimeout(500);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The sink URI the routes use against this server. */
    public String sinkUri() {
        return "aws2-s3:" + BUCKET + "?region=us-east-1&overrideEndpoint=true&uriEndpointOverride=" + endpoint()
                + "&forcePathStyle=true&accessKey=RAW(test-access)&secretKey=RAW(test-secret)"
                + "&multiPartUpload=true&partSize=5242880";
    }

    public S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
