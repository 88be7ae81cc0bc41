package io.reportpipes;

import io.reportpipes.delivery.S3MockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outside Camel K: {@code java -jar target/report-pipes-<version>-app.jar} in a folder holding what the README says
 * to copy (application.properties, camel-main.properties, routes/), with its libraries in target/lib, runs every
 * job of application.properties against the embedded sandbox and exits 0.
 */
class RunnableJarIT {

    @TempDir
    Path dir;

    @Test
    void givenTheAppJarInAFolderWithTheSettingsAndRoutes_whenRun_thenEveryJobDeliversAndItExitsZero() throws Exception {
        Process run = run("-Dsandbox.port=" + S3MockServer.freePort());
        String output = Files.readString(dir.resolve("run.log"));
        assertEquals(0, run.exitValue(), output);
        assertTrue(output.contains("total (10 jobs)"), output);
        try (Stream<Path> jobs = Files.list(dir.resolve("out/serviceminder/north"))) {
            for (Path job : jobs.toList()) {
                assertTrue(Delivered.hasDoneMarker(job), job + " has no done marker");
            }
        }
        assertTrue(Delivered.hasDoneMarker(dir.resolve("out/crewmojo/people/employee.list")));
    }

    @Test
    void givenAConfigurationMistake_whenRun_thenOnlyTheListOfProblemsIsPrintedAndItExitsTwo() throws Exception {
        Process run = run("-Dsandbox.port=" + S3MockServer.freePort(), "-Dsink.default=ftp");

        String output = Files.readString(dir.resolve("run.log"));
        assertEquals(2, run.exitValue(), output);
        assertTrue(output.contains("Invalid job configuration:\n  - serviceminder organisation 'north': sink 'ftp' is "
                + "not defined"), output);
        assertFalse(output.contains("\tat ") || output.contains("Exception"), "no stack trace:\n" + output);
    }

    /** The -app jar run in a folder holding the settings and routes, as the README says; its output in run.log. */
    private Process run(String... options) throws Exception {
        Matcher version = Pattern.compile("<version>(.+?)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find());
        Path jar = Path.of("target/report-pipes-" + version.group(1) + "-app.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), jar + " is missing: run ./mvnw verify");
        for (String file : List.of("application.properties", "camel-main.properties")) {
            Files.copy(Path.of(file), dir.resolve(file));
        }
        Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Files.copy(route, dir.resolve("routes").resolve(route.getFileName()));
            }
        }
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-jar", jar.toString()));
        Process run = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile()).start();
        assertTrue(run.waitFor(5, TimeUnit.MINUTES), "the run did not end within 5 minutes");
        return run;
    }
}
