package io.reportpipes.state;

import io.reportpipes.delivery.S3MockServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: a new cluster (initdb, trust authentication) on a free port
 * of 127.0.0.1, from the machine's PostgreSQL binaries (Debian's postgresql package, which .ci/run
 * installs when missing). As root it runs as the postgres user, as PostgreSQL requires.
 */
public final class LocalPostgres implements AutoCloseable {

    private final Path bin;
    private final Path data;
    private final int port;

    private LocalPostgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    /** The server's binaries, or empty when this machine has none. */
    public static Optional<Path> binaries() throws IOException {
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                                .replaceAll("\\D", "0"))));
                if (newest.isPresent()) {
                    return newest;
                }
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb")) && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
                return Optional.of(Path.of(dir));
            }
        }
        return Optional.empty();
    }

    /**
     * A new server from the machine's binaries; without them the calling test is skipped (JUnit's assumption), with a
     * banner saying so ({@code .ci/run} installs them, so CI never skips).
     */
    public static LocalPostgres startOrSkip(String test) throws Exception {
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            System.err.println("\n*** " + test + " SKIPPED: no PostgreSQL server binaries on this machine "
                    + "(.ci/run installs Debian's postgresql package) ***\n");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(bin.isPresent(), "no PostgreSQL binaries");
        return start(bin.get());
    }

    public static LocalPostgres start(Path bin) throws Exception {
        Path data = Files.createTempDirectory("report-pipes-pg-");
        int port = S3MockServer.freePort();
        LocalPostgres server = new LocalPostgres(bin, data, port);
        if (root()) {
            run("chown", "-R", "postgres:postgres", data.toString());
        }
        server.pg("initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8");
        server.pg("pg_ctl", "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return server;
    }

    public String url() {
        return url("postgres");
    }

    /** A new, empty database on this server (e.g. one per emulated pod), as a JDBC URL. */
    public String createDatabase(String name) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url(), "postgres", "");
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void pg(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public void close() throws Exception {
        try {
            pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
