package io.reportpipes;

import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.sandbox.ServiceminderSandbox.Organisation;
import io.reportpipes.testing.TestSandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up validation of the job configuration, and daemon mode's schedules. */
class JobConfigurationTest {

    @RegisterExtension
    final TestSandbox sandboxes = new TestSandbox();
    private SandboxServer sandbox;
    private ServiceminderSandbox serviceminder;
    @TempDir
    Path dir;

    @BeforeEach
    void startSandbox() throws Exception {
        serviceminder = new ServiceminderSandbox(5, Duration.ofMillis(50), 100, 40);
        serviceminder.addOrganisation(new Organisation("alpha", "test-key-alpha-55", 1, Set.of(1)));
        sandbox = sandboxes.serve(serviceminder);
    }


    @Test
    void givenEveryKindOfMistake_whenStarting_thenStartUpFailsListingThemAll() {
        AppRun app = new AppRun(sandbox, dir)
                .organisation("alpha", "test-key-alpha-55", 1, "contacts, contact")
                .set("serviceminder.organisation.alpha.schedule", "0 2 * * *")
                .set("serviceminder.organisation.alpha.invoices.UpdatedFrom", "01/01/2024")
                .set("serviceminder.organisation.alpha.contacts.Created", "01/01/2024")
                .set("serviceminder.organisation.alpha.mode", "incremental")
                .set("serviceminder.organisation.alpha.contacts.load", "partial")
                .set("serviceminder.organisations", "alpha, beta")
                .set("serviceminder.organisation.beta.api-key", "{{env:REPORT_PIPES_TEST_KEY_THAT_IS_NOT_SET}}")
                .set("serviceminder.organisation.beta.kinds", "invoices")
                .set("serviceminder.organisation.beta.transform", "parquet")
                .set("serviceminder.organisation.beta.sink", "ftp")
                .client("hr", "client-hr", "{{env:REPORT_PIPES_TEST_SECRET_THAT_IS_NOT_SET}}",
                        "oneonone.summary, employee.list, goals.progress, bad/id")
                .set("crewmojo.client.hr.oneonone.summary.start-date", "20240101")
                .set("crewmojo.client.hr.employee.list.window", "last-week")
                .set("crewmojo.client.hr.goals.progress.start-date", "2024-01-01")
                .set("crewmojo.client.hr.goals.progress.end-date", "20240230")
                .set("crewmojo.client.hr.goals.progress.content-type", "xml")
                .set("crewmojo.client.hr.employee.list.format", "json")
                .set("crewmojo.client.hr.payroll.window", "all")
                .set("crewmojo.environment", "prod");

        ExecutionException failure = assertThrows(ExecutionException.class, app::run);

        String message = rootMessage(failure);
        assertTrue(message.startsWith("Invalid job configuration:"), message);
        assertTrue(message.contains("unknown kind 'contact'; known kinds: contacts,"), message);
        assertTrue(message.contains("schedule '0 2 * * *' is not a Quartz cron expression"), message);
        assertTrue(message.contains("alpha.invoices.UpdatedFrom names kind 'invoices', which is not in"), message);
        assertTrue(message.contains("'Created' is not a filter"), message);
        assertTrue(message.contains("serviceminder.organisation.alpha.mode: the key is now "
                + "serviceminder.organisation.alpha.load (full or incremental)"), message);
        assertTrue(message.contains("kind 'contacts': load 'partial' is not full or incremental"), message);
        assertTrue(message.contains("serviceminder.organisation.beta.api-key is empty: set the environment variable "
                + "REPORT_PIPES_TEST_KEY_THAT_IS_NOT_SET"), message);
        assertTrue(message.contains("serviceminder.organisation.beta.user-id is missing"), message);
        assertTrue(message.contains("transform 'parquet': not defined: set transform.parquet.format"), message);
        assertTrue(message.contains("sink 'ftp' is not defined: set sink.ftp.uri"), message);
        assertFalse(message.contains("test-key-alpha-55"));
        assertTrue(message.contains("crewmojo.client.hr.client-secret is empty: set the environment variable "
                + "REPORT_PIPES_TEST_SECRET_THAT_IS_NOT_SET"), message);
        assertTrue(message.contains("report 'oneonone.summary': set both crewmojo.client.hr.oneonone.summary.start-date "
                + "and crewmojo.client.hr.oneonone.summary.end-date (yyyymmdd), or neither"), message);
        assertTrue(message.contains("window 'last-week' is not one of all, yesterday, last-<N>-days"), message);
        assertTrue(message.contains("goals.progress.start-date '2024-01-01' is not a yyyymmdd date"), message);
        assertTrue(message.contains("goals.progress.end-date '20240230' is not a real date"), message);
        assertTrue(message.contains("content-type 'xml' is not csv or json"), message);
        assertTrue(message.contains("'format' is not a report setting"), message);
        assertTrue(message.contains("crewmojo.client.hr.payroll.window is neither a client setting"), message);
        assertTrue(message.contains("report 'bad/id': a report id has letters"), message);
        assertTrue(message.contains("crewmojo.environment 'prod' is not one of production, sandbox, test"), message);
    }

    @Test
    void givenClusterModeWithFileCheckpointsAndAJobWithoutSchedule_whenStarting_thenBothAreListed() {
        AppRun app = new AppRun(sandbox, dir).organisation("alpha", "test-key-alpha-55", 1, "contacts")
                .set("report-pipes.mode", "daemon")
                .set("report-pipes.schedule", "")
                .set("report-pipes.cluster.enabled", "true")
                .set("state.store", "file");

        String message = rootMessage(assertThrows(ExecutionException.class, app::run));

        assertTrue(message.contains("report-pipes.cluster.enabled = true needs state.store = jdbc"), message);
        assertTrue(message.contains("serviceminder/alpha/contacts has no schedule: in cluster mode a job runs on its "
                + "schedule"), message);
    }

    @Test
    void givenTheBuiltInSandboxAndAnS3Sink_whenStarting_thenTheSyntheticRowsAreRefusedTheBucket() throws Exception {
        AppRun app = AppRun.embedded(dir).set("sink.default", "s3");

        String message = rootMessage(assertThrows(ExecutionException.class, app::run));

        assertTrue(message.contains("the built-in sandbox's synthetic rows would go to aws2-s3:report-pipes "
                + "(serviceminder/north/contacts, "), message);
        assertTrue(message.contains("): run with the real APIs (-Dcamel.main.profile=vendor), or set "
                + "sandbox.deliver-to-remote-sinks = true if that sink is a test one"), message);
    }

    @Test
    void givenTheBuiltInSandbox_whenARunStarts_thenABannerSaysTheRowsAreSynthetic() throws Exception {
        AppRun.Result result = AppRun.embedded(dir).set("serviceminder.organisations", "east")
                .set("crewmojo.clients", "").run();

        assertTrue(result.logText().contains("The vendor APIs are report-pipes' BUILT-IN SANDBOX: every row delivered "
                + "is synthetic"), result::logText);
    }

    @Test
    void givenPlainHttpToAnotherHost_whenStarting_thenItIsRefused() {
        AppRun app = new AppRun(sandbox, dir).organisation("alpha", "test-key-alpha-55", 1, "contacts")
                .set("serviceminder.base-url", "http://serviceminder.example.com");

        String message = rootMessage(assertThrows(ExecutionException.class, app::run));

        assertTrue(message.contains("serviceminder.base-url is http://serviceminder.example.com: the vendor APIs take "
                + "keys and secrets in their requests, so a host other than this machine must be reached over https"),
                message);
    }

    @Test
    void givenTheSandboxSecretWithoutTheSandbox_whenStarting_thenItIsRefused() {
        AppRun app = new AppRun(sandbox, dir).client("hr", "client-hr", "sandbox-secret-hr", "employee.list");

        String message = rootMessage(assertThrows(ExecutionException.class, app::run));

        assertTrue(message.contains("crewmojo client 'hr': the client secret is the sandbox's default; set "
                + "crewmojo.client.hr.client-secret to the real one"), message);
    }

    @Test
    void givenTheSandboxKeyWithoutTheSandbox_whenStarting_thenItIsRefused() {
        AppRun app = new AppRun(sandbox, dir).organisation("alpha", "sandbox-key-alpha", 1, "contacts");

        String message = rootMessage(assertThrows(ExecutionException.class, app::run));

        assertTrue(message.contains("the API key (Status: Org) is the sandbox's default"), message);
    }

    @Test
    void givenDaemonMode_whenTheScheduleFires_thenTheJobRunsAndDeliversItsRows() throws Exception {
        AppRun app = new AppRun(sandbox, dir).organisation("alpha", "test-key-alpha-55", 1, "contacts")
                .set("serviceminder.organisation.alpha.schedule", "0/1 * * * * ?");

        AppRun.Result result = app.runDaemonUntil(() -> !result(app).isEmpty());

        assertTrue(result.logText().contains("Scheduled serviceminder/alpha/contacts at '0/1 * * * * ?'"));
        assertTrue(result.summary().results().size() >= 1);
        assertEquals(40, result.summary().results().get(0).rows());
        assertEquals(0, result.summary().failures());
    }

    private static java.util.List<Path> result(AppRun app) {
        try {
            return app.files("serviceminder/alpha/contacts").stream()
                    .filter(p -> p.getFileName().toString().equals("_SUCCESS")).toList();
        } catch (Exception e) {
            return java.util.List.of();
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
