package io.reportpipes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.testing.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A local job may be a YAML route from a source Kamelet (routes/ on camel.component.kamelet.location) to a sink. */
class KameletRoutesTest {

    private static final String KEY = "test-key-kamelet-7713";
    private ServiceminderSandbox serviceminder;
    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        serviceminder = new ServiceminderSandbox(23, Duration.ofMillis(50), 100, 0);
        serviceminder.addOrganisation(new Organisation("west", KEY, 51, Set.of(8080)));
        sandbox = sandboxes.serve(serviceminder);
    }


    private AppRun withRoute(String kameletParameters) throws Exception {
        return withRoute(kameletParameters, AppRun.cronIn(4));
    }

    private AppRun withRoute(String kameletParameters, String schedule) throws Exception {
        return withRoute(kameletParameters, schedule, "");
    }

    /** {@code steps}: the route's own steps before its file sink. */
    private AppRun withRoute(String kameletParameters, String schedule, String steps) throws Exception {
        Path route = dir.resolve("west-invoices.camel.yaml");
        Files.writeString(route, """
                - route:
                    id: west-invoices
                    from:
                      uri: "kamelet:serviceminder-download-source?%s"
                      steps:
                %s        - to: "file:%s?tempPrefix=.inprogress-&fileExist=Override"
                """.formatted(kameletParameters, steps, dir.resolve("drop")));
        return new AppRun(sandbox, dir)
                // the team's own route, beside the project's (report-pipes.flow-routes)
                .set("camel.main.routes-include-pattern", "file:" + route)
                .set("camel.kamelet.serviceminder-download-source.apiKey", KEY)
                .set("camel.kamelet.serviceminder-download-source.schedule", schedule);
    }

    @Test
    void givenARouteFromTheKamelet_whenItFires_thenThePagesReachTheRoutesSinkRowExactAndTheRunIsCheckpointed()
            throws Exception {
        serviceminder.rows("west", "invoices", 27_500);
        Path job = dir.resolve("drop/serviceminder/west/invoices");

        AppRun.Result result = withRoute("organisation=west&userId=8080&kind=invoices&transform=csv")
                .runDaemonUntil(() -> Delivered.hasDoneMarker(job));

        assertEquals(2, Delivered.pages(job).size(), result::logText);
        assertEquals(serviceminder.expectedRecords("west", new ObjectMapper().createObjectNode().put("Kind", "invoices")),
                Delivered.csvPages(job));
        String checkpoint = Files.readString(dir.resolve("state/serviceminder/west/invoices.json"));
        assertTrue(checkpoint.contains("\"lastRunId\""), "the finished run is checkpointed: " + checkpoint);
        assertFalse(result.logText().contains(KEY));
    }

    @Test
    void givenARouteWhoseSinkFailsOnce_whenItFires_thenTheFlowRetriesThePageAndEveryRowArrivesOnce() throws Exception {
        serviceminder.rows("west", "invoices", 27_500);
        Path job = dir.resolve("drop/serviceminder/west/invoices");
        // the first page's first delivery fails (the property stays on the exchange across the retries)
        String failOnce = """
                        - filter:
                            simple: "${header.ReportPipesPage} == '1' && ${exchangeProperty.sinkFailedOnce} == null"
                            steps:
                              - setProperty:
                                  name: sinkFailedOnce
                                  constant: "yes"
                              - throwException:
                                  exceptionType: java.io.IOException
                                  message: the test's sink is down
                """;

        AppRun.Result result = withRoute("organisation=west&userId=8080&kind=invoices&transform=csv", AppRun.cronIn(4),
                failOnce).runDaemonUntil(() -> Delivered.hasDoneMarker(job));

        String log = result.logText();
        assertTrue(log.contains("the test's sink is down"), log);
        assertEquals(serviceminder.expectedRecords("west", new ObjectMapper().createObjectNode().put("Kind", "invoices")),
                Delivered.csvPages(job), log);
        assertEquals(2, serviceminder.calls("startdownload"), "the page is delivered again, not downloaded again");
    }

    @Test
    void givenKameletPropertiesThatAreWrong_whenItFires_thenTheErrorNamesThemAndNothingIsCalled() throws Exception {
        long fired = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        // every second: it has fired a few times when the test stops it
        AppRun.Result result = withRoute("organisation=West&userId=abc&kind=invoice", "* * * * * ?")
                .runDaemonUntil(() -> System.nanoTime() > fired);

        String log = result.logText();
        assertTrue(log.contains("Invalid properties of Kamelet serviceminder-download-source"), log);
        assertTrue(log.contains("serviceminder organisation 'West': use lower-case letters"), log);
        assertEquals(0, serviceminder.calls("startdownload"), "no vendor call with a broken configuration");
        assertFalse(log.contains(KEY));
    }
}
