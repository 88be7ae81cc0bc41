package io.reportpipes.sandbox;

import io.reportpipes.crewmojo.CrewmojoJob;
import io.reportpipes.serviceminder.ServiceminderJob;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * The sandbox started in the application's process (sandbox.enabled = true): it knows the configured
 * organisations and clients, with the keys and secrets they use, and the sandbox.* settings.
 */
public final class EmbeddedSandbox {

    private EmbeddedSandbox() {
    }

    /** Starts it; closing the answer stops it. */
    public static AutoCloseable start(PropertiesComponent pc, List<ServiceminderJob> serviceminderJobs,
                                      List<CrewmojoJob> crewmojoJobs) throws Exception {
        long seed = Long.parseLong(setting(pc, "sandbox.seed"));
        ServiceminderSandbox serviceminder = new ServiceminderSandbox(seed,
                duration(pc, "sandbox.serviceminder.ready-after"),
                Integer.parseInt(setting(pc, "sandbox.serviceminder.queue-limit")),
                Long.parseLong(setting(pc, "sandbox.serviceminder.rows")));
        int organizationId = 1000;
        for (ServiceminderJob job : serviceminderJobs) {
            serviceminder.addOrganisation(new ServiceminderSandbox.Organisation(job.organisation(), job.apiKey(),
                    organizationId++, Set.of(job.userId())));
            pc.resolveProperty("sandbox.serviceminder.rows." + job.organisation() + "." + job.kind())
                    .ifPresent(rows -> serviceminder.rows(job.organisation(), job.kind(), Long.parseLong(rows.trim())));
        }
        CrewmojoSandbox crewmojo = new CrewmojoSandbox(seed, duration(pc, "sandbox.crewmojo.token-lifetime"),
                duration(pc, "sandbox.crewmojo.job-expiry"), Long.parseLong(setting(pc, "sandbox.crewmojo.rows")))
                // two years of dates ending today, so that relative windows find rows
                .firstDate(LocalDate.now(ZoneId.of(setting(pc, "crewmojo.time-zone"))).minusDays(730));
        for (CrewmojoJob job : crewmojoJobs) {
            crewmojo.addClient(job.client().clientId(), job.client().clientSecret());
            pc.resolveProperty("sandbox.crewmojo.slow." + job.report())
                    .ifPresent(after -> crewmojo.slow(job.report(), Duration.ofMillis(TimeUtils.toMilliSeconds(after.trim()))));
        }
        double failRate = Double.parseDouble(setting(pc, "sandbox.chaos.fail-rate"));
        double resetRate = Double.parseDouble(setting(pc, "sandbox.chaos.reset-rate"));
        Chaos chaos = failRate + resetRate > 0 ? new Chaos(seed, failRate, resetRate,
                duration(pc, "sandbox.chaos.slow")) : null;
        return SandboxServer.start(Integer.parseInt(setting(pc, "sandbox.port")), serviceminder, crewmojo, chaos);
    }

    private static String setting(PropertiesComponent pc, String key) {
        return pc.resolveProperty(key).map(String::trim)
                .orElseThrow(() -> new IllegalArgumentException("Missing setting " + key
                        + " (io/reportpipes/sandbox/sandbox.properties, or application.properties)"));
    }

    private static Duration duration(PropertiesComponent pc, String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(setting(pc, key)));
    }
}
