package io.reportpipes.jobs;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Daemon mode: one quartz route per job, made from the {@code scheduled-job} route template. */
public final class JobSchedules {

    private static final Logger LOG = LoggerFactory.getLogger("report-pipes");

    private JobSchedules() {
    }

    /**
     * @param jobId       e.g. serviceminder/north/contacts
     * @param schedule    a Quartz cron expression (validated with the job's configuration)
     * @param recoverable cluster mode: a fire that a dead node left running is fired again on another node
     */
    public static void add(CamelContext context, String jobId, String schedule, boolean recoverable) {
        String key = key(jobId);
        TemplatedRouteBuilder.builder(context, "scheduled-job")
                .routeId("schedule-" + key)
                .parameter("jobId", jobId)
                .parameter("jobKey", key)
                .parameter("cron", schedule)
                .parameter("recoverable", Boolean.toString(recoverable))
                .add();
        LOG.info("Scheduled {} at '{}'", jobId, schedule);
    }

    /** The job's Quartz job and trigger name (in group report-pipes), e.g. serviceminder-north-contacts. */
    static String key(String jobId) {
        return jobId.replace('/', '-');
    }
}
