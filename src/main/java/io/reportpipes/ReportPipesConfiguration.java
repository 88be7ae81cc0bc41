package io.reportpipes;

import io.reportpipes.delivery.DeliveryHeaders;
import io.reportpipes.delivery.LocalArtemis;
import io.reportpipes.delivery.PageSpooler;
import io.reportpipes.delivery.PageTransformer;
import io.reportpipes.delivery.RecordBatches;
import io.reportpipes.jobs.JobSchedules;
import io.reportpipes.jobs.RunOnce;
import io.reportpipes.jobs.RunSummary;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import io.reportpipes.serviceminder.DownloadSlots;
import io.reportpipes.serviceminder.ServiceminderApi;
import io.reportpipes.serviceminder.ServiceminderExtraction;
import io.reportpipes.serviceminder.ServiceminderJob;
import io.reportpipes.serviceminder.ServiceminderJobs;
import io.reportpipes.serviceminder.StatusPolling;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.util.TimeUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

/**
 * Binds the beans the YAML routes call by name, from {@code application.properties}, and starts the
 * embedded vendor sandbox when {@code sandbox.enabled=true}. Configuration errors stop start-up here,
 * with every problem listed.
 */
public final class ReportPipesConfiguration implements CamelConfiguration {

    private static final Set<String> MODES = Set.of("run-once", "daemon");

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        String mode = property(pc, "report-pipes.mode");
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("report-pipes.mode must be run-once or daemon, not '" + mode + "'");
        }
        boolean sandbox = Boolean.parseBoolean(property(pc, "sandbox.enabled"));
        ServiceminderJobs jobs = ServiceminderJobs.load(context, sandbox);
        Clock clock = Clock.systemUTC();

        var registry = context.getRegistry();
        registry.bind("serviceminderJobs", jobs);
        registry.bind("serviceminderApi", new ServiceminderApi(property(pc, "serviceminder.status.ready-field"),
                property(pc, "serviceminder.status.ready-value"),
                Pattern.compile(property(pc, "serviceminder.queue-full-message"), Pattern.CASE_INSENSITIVE)));
        registry.bind("downloadSlots", new DownloadSlots(
                Integer.parseInt(property(pc, "serviceminder.max-outstanding-downloads"))));
        registry.bind("statusPolling", new StatusPolling(duration(pc, "serviceminder.poll.first-interval"),
                Double.parseDouble(property(pc, "serviceminder.poll.factor")),
                duration(pc, "serviceminder.poll.max-interval"), duration(pc, "serviceminder.poll.timeout")));
        PageSpooler spooler = new PageSpooler(Path.of(property(pc, "report-pipes.work-dir"), "spool"));
        registry.bind("serviceminderExtraction", new ServiceminderExtraction(spooler,
                Integer.parseInt(property(pc, "serviceminder.page-size")),
                property(pc, "serviceminder.id-column"), clock));
        registry.bind("pageTransformer", new PageTransformer());
        registry.bind("recordBatches", new RecordBatches());
        registry.bind("deliveryHeaders", new DeliveryHeaders(pc.resolveProperty("sink.key-prefix").orElse("").trim()));
        RunSummary summary = new RunSummary();
        registry.bind("runSummary", summary);
        registry.bind("runOnce", new RunOnce(summary));
        ExecutorService executor = context.getExecutorServiceManager().newFixedThreadPool(this, "report-pipes-job",
                Integer.parseInt(property(pc, "report-pipes.parallel-jobs")));
        registry.bind("jobExecutor", executor);

        if (sandbox) {
            startSandbox(context, pc, jobs);
        }
        if (Boolean.parseBoolean(property(pc, "local-brokers.artemis.enabled"))) {
            LocalArtemis artemis = new LocalArtemis(Path.of(property(pc, "local-brokers.artemis.data-dir")),
                    Integer.parseInt(property(pc, "local-brokers.artemis.port")));
            closeOnStop(context, artemis);
        }
        if ("daemon".equals(mode)) {
            context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.CamelContextStartedEvent) {
                        jobs.all().stream().filter(job -> !job.schedule().isEmpty())
                                .forEach(job -> JobSchedules.add(context, job.id(), job.schedule()));
                    }
                }
            });
        }
    }

    /** The embedded sandbox knows the configured organisations, with the keys and users they are configured with. */
    private static void startSandbox(CamelContext context, PropertiesComponent pc, ServiceminderJobs jobs)
            throws Exception {
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(Long.parseLong(property(pc, "sandbox.seed")),
                duration(pc, "sandbox.serviceminder.ready-after"),
                Integer.parseInt(property(pc, "sandbox.serviceminder.queue-limit")),
                Long.parseLong(property(pc, "sandbox.serviceminder.rows")));
        int organizationId = 1000;
        for (ServiceminderJob job : jobs.all()) {
            serviceminder.addOrganisation(new ServiceminderSandbox.Organisation(job.organisation(), job.apiKey(),
                    organizationId++, Set.of(job.userId())));
            pc.resolveProperty("sandbox.serviceminder.rows." + job.organisation() + "." + job.kind())
                    .ifPresent(rows -> serviceminder.rows(job.organisation(), job.kind(), Long.parseLong(rows.trim())));
        }
        closeOnStop(context, SandboxServer.start(Integer.parseInt(property(pc, "sandbox.port")), serviceminder));
    }

    /** Servers this process started (sandbox, local broker) stop after Camel: in-flight pages finish first. */
    private static void closeOnStop(CamelContext context, AutoCloseable server) {
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext camelContext) {
                try {
                    server.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not stop " + server, e);
                }
            }
        });
    }

    static String property(PropertiesComponent pc, String key) {
        return pc.resolveProperty(key).map(String::trim)
                .orElseThrow(() -> new IllegalArgumentException("Missing setting " + key + " in application.properties"));
    }

    static Duration duration(PropertiesComponent pc, String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(property(pc, key)));
    }
}
